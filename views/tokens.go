package views

import (
	"strconv"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// SectionTokens is the API tokens screen.
const SectionTokens = "tokens"

// APITokensURL is the API tokens screen; every signed-in person has one.
const APITokensURL = "/settings/tokens"

// APITokenRevokeURL revokes one token.
func APITokenRevokeURL(id int64) string {
	return APITokensURL + "/" + strconv.FormatInt(id, 10) + "/revoke"
}

// TokenLives are the expiries the create form offers, in days; 0 never.
var TokenLives = []int{30, 90, 365, 0}

// APITokensProps is the API tokens screen: the tokens the viewer may see
// (an admin, the team's; an agent, their own), the create form, and,
// once, the secret of a token just created.
type APITokensProps struct {
	Tokens []inbox.APIToken
	// Owners names each token's owner, for admins.
	Owners map[int64]string
	// Team is true when the viewer sees everyone's tokens.
	Team  bool
	Draft APITokenDraft
	// Created, when set, is the token just made, shown with its secret
	// this once.
	Created *CreatedAPIToken
	Now     time.Time
}

// APITokenDraft is the create form as filled in.
type APITokenDraft struct {
	Name   string
	Scopes []inbox.Scope
	// Days is the chosen life; 0 never expires.
	Days  int
	Error string
}

// CreatedAPIToken is a new token and its secret.
type CreatedAPIToken struct {
	Name   string
	Secret string
}

func (d APITokenDraft) has(s inbox.Scope) bool {
	for _, x := range d.Scopes {
		if x == s {
			return true
		}
	}
	return false
}

func tokenLifeLabel(days int) string {
	switch days {
	case 0:
		return "Never"
	case 365:
		return "In a year"
	}
	return "In " + strconv.Itoa(days) + " days"
}

var scopeHelp = map[inbox.Scope]string{
	inbox.ScopeRead:   "Read conversations, messages, contacts, labels and the team",
	inbox.ScopeSend:   "Send messages and replies",
	inbox.ScopeManage: "Close, reopen, assign, label and snooze conversations; edit contacts",
}

// tokenState is a token's state in words.
func tokenState(t inbox.APIToken, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "Revoked"
	case t.Expired(now):
		return "Expired"
	}
	return "Active"
}

func tokenScopes(t inbox.APIToken) string {
	out := ""
	for i, s := range t.Scopes {
		if i > 0 {
			out += ", "
		}
		out += string(s)
	}
	return out
}
