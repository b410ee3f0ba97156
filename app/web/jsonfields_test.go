package web

import (
	"strings"
	"testing"
)

func TestJSONFieldsFollowStructTags(t *testing.T) {
	type sample struct {
		Plain    string
		Named    string `json:"named"`
		Omitted  string `json:"omitted,omitempty"`
		Skipped  string `json:"-"`
		unexport string
	}
	tests := []struct {
		v    any
		want string
	}{
		{&apiSendRequest{}, "to, text, media_urls, from"},
		{&sample{}, "Plain, named, omitted"},
	}
	for _, tt := range tests {
		if got := strings.Join(jsonFields(tt.v), ", "); got != tt.want {
			t.Errorf("jsonFields(%T)=%q, want %q", tt.v, got, tt.want)
		}
	}
	_ = sample{}.unexport
}
