package live

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

func TestEncodeEvent(t *testing.T) {
	e := inbox.Event{
		ID:             42,
		Kind:           inbox.EventMessageStatus,
		ConversationID: 7,
		MessageID:      99,
		CreatedAt:      time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
	}
	got, err := encodeEvent(e)
	if err != nil {
		t.Fatalf("encodeEvent()=%v, want nil", err)
	}
	want := `{"id":42,"kind":"message.status","conversation_id":7,"message_id":99,"created_at":"2026-01-02T03:04:05.000006Z"}`
	if string(got) != want {
		t.Fatalf("encodeEvent()=%s, want %s", got, want)
	}
	back, err := decodeEvent(string(got))
	if err != nil || !sameEvent(back, e) {
		t.Fatalf("decodeEvent(encodeEvent(e))=%+v, %v, want %+v, nil", back, err, e)
	}
}

func TestDecodeEvent(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name    string
		payload string
		want    inbox.Event
		wantErr bool
	}{
		{name: "all fields",
			payload: `{"id":1,"kind":"message.received","conversation_id":2,"message_id":3,"created_at":"2026-01-02T03:04:05Z"}`,
			want:    inbox.Event{ID: 1, Kind: inbox.EventMessageReceived, ConversationID: 2, MessageID: 3, CreatedAt: at}},
		{name: "no message",
			payload: `{"id":5,"kind":"conversation.updated","conversation_id":2,"message_id":0,"created_at":"2026-01-02T03:04:05Z"}`,
			want:    inbox.Event{ID: 5, Kind: inbox.EventConversationUpdated, ConversationID: 2, CreatedAt: at}},
		{name: "unknown field from a newer instance",
			payload: `{"id":6,"kind":"consent.changed","conversation_id":2,"created_at":"2026-01-02T03:04:05Z","extra":true}`,
			want:    inbox.Event{ID: 6, Kind: inbox.EventConsentChanged, ConversationID: 2, CreatedAt: at}},
		{name: "sessions ended",
			payload: `{"id":0,"kind":"user.sessions_ended","conversation_id":0,"message_id":0,"user_id":7,"session_id":"ab12","created_at":"2026-01-02T03:04:05Z"}`,
			want:    inbox.Event{Kind: inbox.EventSessionsEnded, UserID: 7, SessionID: "ab12", CreatedAt: at}},
		{name: "not json", payload: `hello`, wantErr: true},
		{name: "empty", payload: ``, wantErr: true},
		{name: "null", payload: `null`, wantErr: true},
		{name: "no kind", payload: `{"id":1}`, wantErr: true},
		{name: "wrong type", payload: `{"id":"one","kind":"message.received"}`, wantErr: true},
		{name: "bad time", payload: `{"id":1,"kind":"message.received","created_at":"yesterday"}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeEvent(tt.payload)
			if (err != nil) != tt.wantErr {
				t.Fatalf("decodeEvent(%q) error=%v, want error %v", tt.payload, err, tt.wantErr)
			}
			if !tt.wantErr && !sameEvent(got, tt.want) {
				t.Fatalf("decodeEvent(%q)=%+v, want %+v", tt.payload, got, tt.want)
			}
		})
	}
}
