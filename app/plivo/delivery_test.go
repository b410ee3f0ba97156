package plivo_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/plivo"
)

func dlrForm(changes ...string) map[string][]string {
	f := map[string][]string{}
	for k, v := range dlrParams() {
		f[k] = []string{v}
	}
	f["MessageTime"] = []string{"2024-06-01 10:00:00.123456"}
	for i := 0; i+1 < len(changes); i += 2 {
		if changes[i+1] == "" {
			delete(f, changes[i])
		} else {
			f[changes[i]] = []string{changes[i+1]}
		}
	}
	return f
}

func TestParseDelivery(t *testing.T) {
	got, err := plivo.ParseDelivery(dlrForm(), map[string][]string{"ref": {"42"}})
	if err != nil {
		t.Fatalf("ParseDelivery err=%v, want nil", err)
	}
	raw := map[string]string{"MessageTime": "2024-06-01 10:00:00.123456"}
	for k, v := range dlrParams() {
		raw[k] = v
	}
	want := plivo.Delivery{
		MessageUUID: "db3ce55a-7f1d-11e1-8ea7-1231380bc196", Status: "delivered", ErrorCode: "000",
		Sequence: 3, Units: 1, TotalAmount: "0.0050", TotalRate: "0.0050",
		From: "14155550199", To: "14155550100", MessageTime: "2024-06-01 10:00:00.123456",
		Ref: "42", Raw: raw,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseDelivery=%+v, want %+v", got, want)
	}
}

func TestParseDeliveryFields(t *testing.T) {
	tests := []struct {
		name  string
		form  map[string][]string
		query map[string][]string
		check func(plivo.Delivery) (got, want any)
	}{
		{"status lower-cased", dlrForm("Status", " Undelivered "), nil, func(d plivo.Delivery) (any, any) { return d.Status, "undelivered" }},
		{"status read", dlrForm("Status", "read"), nil, func(d plivo.Delivery) (any, any) { return d.Status, "read" }},
		{"no uuid but ref", dlrForm("MessageUUID", ""), map[string][]string{"ref": {"17"}}, func(d plivo.Delivery) (any, any) { return d.Ref + "|" + d.MessageUUID, "17|" }},
		{"sequence garbage", dlrForm("Sequence", "x"), nil, func(d plivo.Delivery) (any, any) { return d.Sequence, 0 }},
		{"units absent", dlrForm("Units", ""), nil, func(d plivo.Delivery) (any, any) { return d.Units, 0 }},
		{"error code trimmed", dlrForm("ErrorCode", " 200 "), nil, func(d plivo.Delivery) (any, any) { return d.ErrorCode, "200" }},
		{"long field cut", dlrForm("SentTime", strings.Repeat("9", 300)), nil, func(d plivo.Delivery) (any, any) { return len(d.SentTime), 256 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := plivo.ParseDelivery(tt.form, tt.query)
			if err != nil {
				t.Fatalf("ParseDelivery err=%v, want nil", err)
			}
			if got, want := tt.check(d); !reflect.DeepEqual(got, want) {
				t.Errorf("got=%v, want %v", got, want)
			}
		})
	}
}

func TestParseDeliveryErrors(t *testing.T) {
	tests := []struct {
		name      string
		form      map[string][]string
		query     map[string][]string
		wantField string
	}{
		{"missing status", dlrForm("Status", ""), nil, "Status"},
		{"unknown status", dlrForm("Status", "received"), nil, "Status"},
		{"missing uuid no ref", dlrForm("MessageUUID", ""), nil, "MessageUUID"},
		{"empty ref is no ref", dlrForm("MessageUUID", ""), map[string][]string{"ref": {""}}, "MessageUUID"},
		{"bad uuid", dlrForm("MessageUUID", "a b"), nil, "MessageUUID"},
		{"bad ref", dlrForm(), map[string][]string{"ref": {"1;drop"}}, "ref"},
		{"nil form", nil, nil, "Status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plivo.ParseDelivery(tt.form, tt.query)
			if code, field := inbox.ErrorCode(err), inbox.ErrorField(err); code != inbox.EINVALID || field != tt.wantField {
				t.Errorf("ParseDelivery err=%v, want %v field %v", err, inbox.EINVALID, tt.wantField)
			}
		})
	}
}

func TestExplainErrorCode(t *testing.T) {
	tests := []struct{ code, want string }{
		{"", ""},
		{"000", ""},
		{"200", "The recipient has opted out (replied STOP) of messages from this number."},
		{" 420 ", "The message waited over 3 hours in Plivo's queue and expired without being sent."},
		{"999", "Carrier error 999."},
		{"<script>", "Carrier error."},
		{strings.Repeat("9", 17), "Carrier error."},
	}
	for _, tt := range tests {
		if got := plivo.ExplainErrorCode(tt.code); got != tt.want {
			t.Errorf("ExplainErrorCode(%q)=%v, want %v", tt.code, got, tt.want)
		}
	}
	for _, code := range []string{"10", "20", "30", "40", "50", "60", "70", "80", "90", "100", "110", "120", "200", "201", "420", "1000"} {
		if got := plivo.ExplainErrorCode(code); got == "" || strings.HasPrefix(got, "Carrier error") {
			t.Errorf("ExplainErrorCode(%q)=%q, want a plain explanation", code, got)
		}
	}
}
