package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// readServer reads where Parley listens and how it is reached.
func (r *reader) readServer(c *Config) {
	c.Env = r.lower("PARLEY_ENV")
	if c.Env == "" {
		c.Env = Development
	}
	if c.Env != Development && c.Env != Production {
		r.bad("PARLEY_ENV", "must be %q or %q, got %q", Development, Production, c.Env)
	}

	c.Port = 3000
	if p := r.get("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			r.bad("PORT", "must be a port number from 1 to 65535, got %q", p)
		}
		c.Port = n
	}
	c.BindAddress = r.get("BIND_ADDRESS")
	if c.BindAddress == "" {
		c.BindAddress = "0.0.0.0"
		if c.Env == Development {
			c.BindAddress = "127.0.0.1"
		}
	} else if net.ParseIP(c.BindAddress) == nil && c.BindAddress != "localhost" {
		r.bad("BIND_ADDRESS", "must be an IP address such as 127.0.0.1 or 0.0.0.0, got %q", c.BindAddress)
	}

	c.PublicURL = strings.TrimRight(r.get("PUBLIC_URL"), "/")
	if c.PublicURL == "" && c.Env == Development {
		c.PublicURL = fmt.Sprintf("http://localhost:%d", c.Port)
	}
	if c.PublicURL != "" {
		if u, ok := httpURL(c.PublicURL); !ok || u.RawQuery != "" || u.Fragment != "" {
			r.bad("PUBLIC_URL", "must be an absolute http:// or https:// URL without query, like https://sms.example.com")
		}
	}

	c.TrustedProxies = r.list(r.get("TRUSTED_PROXIES"), "TRUSTED_PROXIES", isIPOrCIDR,
		"%q is not an IP address or CIDR range like 10.0.0.0/8")
}

func isIPOrCIDR(s string) bool {
	if net.ParseIP(s) != nil {
		return true
	}
	_, _, err := net.ParseCIDR(s)
	return err == nil
}
