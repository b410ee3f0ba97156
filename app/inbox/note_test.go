package inbox_test

import (
	"fmt"
	"testing"

	"github.com/parleyhq/parley/app/inbox"
)

func TestMentionedUsers(t *testing.T) {
	people := []inbox.User{
		{ID: 1, Name: "Ann Lee", Email: "ann@example.com"},
		{ID: 2, Name: "Bob Stone", Email: "robert.stone@example.com"},
		{ID: 3, Name: "", Email: "sam@example.com"},
		{ID: 4, Name: "Jo Park", Email: "jo@example.com"},
		{ID: 5, Name: "Jo King", Email: "jking@example.com"},
	}
	tests := []struct {
		body string
		want []int64
	}{
		{"@ann can you look?", []int64{1}},
		{"@ANN and @bob", []int64{1, 2}},
		{"thanks @annlee.", []int64{1}},
		{"@robert.stone, see above", []int64{2}},
		{"(@sam) please", []int64{3}},
		{"@ann @ann twice", []int64{1}},
		{"mail ann@example.com, not a mention", nil},
		{"@jo is two people, so nobody", nil},
		{"@jking is one of them", []int64{5}},
		{"@nobody here", nil},
		{"@ alone", nil},
		{"@bob's customer", []int64{2}},
	}
	for _, tt := range tests {
		if got := inbox.MentionedUsers(tt.body, people); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("MentionedUsers(%q)=%v, want %v", tt.body, got, tt.want)
		}
	}
}
