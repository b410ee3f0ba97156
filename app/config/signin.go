package config

import "strings"

// devSessionSecret keys development sessions so they survive restarts. It
// is public, which is why production refuses to start without its own.
const devSessionSecret = "parley-development-session-secret-not-for-production"

// readSignIn reads the session keys, the sign-in providers and who may
// sign in.
func (r *reader) readSignIn(c *Config) {
	c.SessionSecret = r.get("SESSION_SECRET")
	if c.SessionSecret == "" && c.Env == Development {
		c.SessionSecret = devSessionSecret
	}
	if c.SessionSecret != "" && len(c.SessionSecret) < 32 {
		r.bad("SESSION_SECRET", "must be at least 32 characters (try: openssl rand -base64 48)")
	}
	c.SessionSecretPrevious = r.get("SESSION_SECRET_PREVIOUS")

	c.GoogleClientID, c.GoogleClientSecret = r.get("GOOGLE_CLIENT_ID"), r.get("GOOGLE_CLIENT_SECRET")
	c.GitHubClientID, c.GitHubClientSecret = r.get("GITHUB_CLIENT_ID"), r.get("GITHUB_CLIENT_SECRET")
	pairs := []struct{ id, secret, idName, secretName string }{
		{c.GoogleClientID, c.GoogleClientSecret, "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"},
		{c.GitHubClientID, c.GitHubClientSecret, "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"},
	}
	for _, p := range pairs {
		if (p.id == "") != (p.secret == "") {
			r.bad(p.idName, "%s and %s must be set together", p.idName, p.secretName)
		}
	}
	c.GitHubBaseURL = strings.TrimRight(r.get("GITHUB_BASE_URL"), "/")
	if _, ok := httpURL(c.GitHubBaseURL); c.GitHubBaseURL != "" && !ok {
		r.bad("GITHUB_BASE_URL", "must be an absolute URL like https://github.example.com")
	}
	c.AdminEmails = r.list(r.lower("ADMIN_EMAILS"), "ADMIN_EMAILS",
		func(e string) bool { return strings.Contains(e, "@") }, "%q is not an email address")
	c.AllowedEmailDomains = r.list(r.lower("ALLOWED_EMAIL_DOMAINS"), "ALLOWED_EMAIL_DOMAINS",
		func(d string) bool { return !strings.Contains(d, "@") && strings.Contains(d, ".") }, "%q is not a domain like example.com")
}
