package inbox

import "testing"

func TestReportedStatus(t *testing.T) {
	tests := []struct {
		in   Status
		next Status
		ok   bool
	}{
		{"queued", StatusSent, true},
		{"sent", StatusSent, true},
		{"delivered", StatusDelivered, true},
		{"undelivered", StatusUndelivered, true},
		{"failed", StatusFailed, true},
		{"rejected", StatusRejected, true},
		{"read", "", true},
		{"received", "", false},
		{"sending", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		next, ok := reportedStatus(tt.in)
		if next != tt.next || ok != tt.ok {
			t.Errorf("reportedStatus(%q)=%q,%v, want %q,%v", tt.in, next, ok, tt.next, tt.ok)
		}
	}
}

func TestApplyReportMovesForwardOnly(t *testing.T) {
	retry := now0
	tests := []struct {
		name     string
		m        Message
		r        DeliveryReport
		changed  bool
		status   Status
		code     string
		uuid     string
		nextNil  bool
		errorMsg string
	}{
		{"sent after delivered", Message{Status: StatusDelivered, ProviderUUID: "u"}, DeliveryReport{MessageUUID: "u", Status: "sent"}, false, StatusDelivered, "", "u", true, ""},
		{"delivered after sent", Message{Status: StatusSent, ProviderUUID: "u"}, DeliveryReport{MessageUUID: "u", Status: "delivered", ErrorCode: "000"}, true, StatusDelivered, "", "u", true, ""},
		{"undelivered keeps code", Message{Status: StatusSent, ProviderUUID: "u"}, DeliveryReport{MessageUUID: "u", Status: "undelivered", ErrorCode: "30"}, true, StatusUndelivered, "30", "u", true, ""},
		{"delivered after undelivered", Message{Status: StatusUndelivered, ErrorCode: "30", ProviderUUID: "u"}, DeliveryReport{MessageUUID: "u", Status: "delivered"}, true, StatusDelivered, "", "u", true, ""},
		{"delivered after carrier failed", Message{Status: StatusFailed, ErrorCode: "900", ProviderUUID: "u"}, DeliveryReport{MessageUUID: "u", Status: "delivered"}, true, StatusDelivered, "", "u", true, ""},
		{"undelivered after delivered", Message{Status: StatusDelivered, ProviderUUID: "u"}, DeliveryReport{MessageUUID: "u", Status: "undelivered", ErrorCode: "30"}, false, StatusDelivered, "", "u", true, ""},
		{"failed after undelivered", Message{Status: StatusUndelivered, ErrorCode: "30", ProviderUUID: "u"}, DeliveryReport{MessageUUID: "u", Status: "failed", ErrorCode: "900"}, false, StatusUndelivered, "30", "u", true, ""},
		{"read changes nothing", Message{Status: StatusDelivered, ProviderUUID: "u"}, DeliveryReport{MessageUUID: "u", Status: "read"}, false, StatusDelivered, "", "u", true, ""},
		{"xml reply learns uuid", Message{Status: StatusQueued, Via: ViaXML}, DeliveryReport{MessageUUID: "u", MessageID: 5, Status: "queued"}, true, StatusSent, "", "u", true, ""},
		{"queued retry is sent after all", Message{Status: StatusQueued, Via: ViaAPI, NextAttemptAt: &retry, ErrorMessage: "Try 1 failed"}, DeliveryReport{MessageUUID: "u", MessageID: 5, Status: "sent"}, true, StatusSent, "", "u", true, ""},
		{"unconfirmed takes the carrier's word", Message{Status: StatusFailed, ErrorCode: ErrorCodeUnconfirmed, ErrorMessage: UnconfirmedMessage}, DeliveryReport{MessageUUID: "u", MessageID: 5, Status: "delivered"}, true, StatusDelivered, "", "u", true, ""},
		{"refused stays failed", Message{Status: StatusFailed, ErrorCode: ErrorCodeRefused, ErrorMessage: "bad"}, DeliveryReport{MessageID: 5, Status: "delivered"}, false, StatusFailed, ErrorCodeRefused, "", true, "bad"},
		{"withheld stays failed", Message{Status: StatusFailed, ErrorCode: ErrorCodeOptedOut, ErrorMessage: "Not sent"}, DeliveryReport{MessageID: 5, Status: "delivered"}, false, StatusFailed, ErrorCodeOptedOut, "", true, "Not sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, _ := reportedStatus(tt.r.Status)
			got, changed := applyReport(tt.m, tt.r, next, now0)
			if changed != tt.changed || got.Status != tt.status || got.ErrorCode != tt.code || got.ProviderUUID != tt.uuid {
				t.Fatalf("changed=%v status=%s code=%q uuid=%q, want %v %s %q %q",
					changed, got.Status, got.ErrorCode, got.ProviderUUID, tt.changed, tt.status, tt.code, tt.uuid)
			}
			if (got.NextAttemptAt == nil) != tt.nextNil || got.ErrorMessage != tt.errorMsg {
				t.Fatalf("next attempt=%v error message=%q, want nil=%v and %q", got.NextAttemptAt, got.ErrorMessage, tt.nextNil, tt.errorMsg)
			}
		})
	}
}
