package config_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/parleyhq/parley/app/config"
)

func TestLoadSendPace(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.SendPaceOff || c.SendRates != nil {
		t.Fatalf("defaults: off=%v rates=%v err=%v, want paced by kind", c.SendPaceOff, c.SendRates, err)
	}
	c, err = config.Load(env(map[string]string{"SEND_PACE": "OFF", "SEND_RATES": "+14155550199=0.5, 12345=100,+18005550100=0"}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"+14155550199": 0.5, "12345": 100, "+18005550100": 0}
	if !c.SendPaceOff || !reflect.DeepEqual(c.SendRates, want) {
		t.Fatalf("off=%v rates=%v, want off and %v", c.SendPaceOff, c.SendRates, want)
	}
}

func TestLoadSendPaceRefusesBadValues(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"SEND_PACE", "fast", "must be auto or off"},
		{"SEND_RATES", "+14155550199", "is not number=rate"},
		{"SEND_RATES", "4155550199=1", "is not an E.164 number"},
		{"SEND_RATES", "+14155550199=-1", "from 0 (unpaced) to 10000"},
		{"SEND_RATES", "+14155550199=NaN", "from 0 (unpaced) to 10000"},
		{"SEND_RATES", "+14155550199=fast", "from 0 (unpaced) to 10000"},
	} {
		_, err := config.Load(env(map[string]string{tc.name: tc.value}))
		if err == nil || !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%q: err=%v, want one naming %s saying %q", tc.name, tc.value, err, tc.name, tc.want)
		}
	}
}
