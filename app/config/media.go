package config

import (
	"net/url"
	"path/filepath"
	"strings"
)

// Media is where attachments are kept (MEDIA_STORE and the S3 settings).
type Media struct {
	// Dir is the folder of the local-disk store; empty when S3 is used.
	Dir string
	// S3Bucket and S3Prefix come from MEDIA_STORE=s3://bucket/prefix.
	S3Bucket, S3Prefix string
	// S3Endpoint is the S3-compatible server (S3_ENDPOINT, or
	// AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL); empty means AWS.
	S3Endpoint string
	// S3Region is S3_REGION, else AWS_REGION.
	S3Region string
	// S3AccessKey, S3SecretKey and S3SessionToken are AWS_ACCESS_KEY_ID,
	// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; unset, the machine's
	// role is used.
	S3AccessKey, S3SecretKey, S3SessionToken string
	// S3PathStyle (S3_FORCE_PATH_STYLE=true) names the bucket in the path,
	// as MinIO and most self-hosted stores want.
	S3PathStyle bool
}

// S3 reports whether media live in an S3-compatible store.
func (m Media) S3() bool { return m.S3Bucket != "" }

// readMedia reads MEDIA_STORE: a folder (the default is media/ beside the
// SQLite database, else data/media) or s3://bucket/prefix.
func (r *reader) readMedia(c *Config) {
	v := r.get("MEDIA_STORE")
	switch {
	case v == "":
		c.Media.Dir = filepath.Join(dataDir(c.DatabaseURL), "media")
	case strings.HasPrefix(v, "s3://"):
		u, err := url.Parse(v)
		if err != nil || u.Host == "" || u.RawQuery != "" {
			r.bad("MEDIA_STORE", "must be a folder or s3://bucket/prefix, got %q", v)
			return
		}
		c.Media.S3Bucket, c.Media.S3Prefix = u.Host, strings.Trim(u.Path, "/")
	case strings.HasPrefix(v, "file://"):
		c.Media.Dir = strings.TrimPrefix(v, "file://")
	case hasScheme(v):
		r.bad("MEDIA_STORE", "must be a folder or s3://bucket/prefix, got %q", v)
		return
	default:
		c.Media.Dir = v
	}
	c.Media.S3Endpoint = firstSet(r.get("S3_ENDPOINT"), r.get("AWS_ENDPOINT_URL_S3"), r.get("AWS_ENDPOINT_URL"))
	if c.Media.S3Endpoint != "" && hasScheme(c.Media.S3Endpoint) {
		if _, ok := httpURL(c.Media.S3Endpoint); !ok {
			r.bad("S3_ENDPOINT", "must be host:port or an http(s) URL, got %q", c.Media.S3Endpoint)
		}
	}
	c.Media.S3Region = firstSet(r.get("S3_REGION"), r.get("AWS_REGION"))
	c.Media.S3AccessKey, c.Media.S3SecretKey = r.get("AWS_ACCESS_KEY_ID"), r.get("AWS_SECRET_ACCESS_KEY")
	c.Media.S3SessionToken = r.get("AWS_SESSION_TOKEN")
	if c.Media.S3() && (c.Media.S3AccessKey == "") != (c.Media.S3SecretKey == "") {
		r.bad("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together")
	}
	switch p := r.lower("S3_FORCE_PATH_STYLE"); p {
	case "", "false", "0":
	case "true", "1":
		c.Media.S3PathStyle = true
	default:
		r.bad("S3_FORCE_PATH_STYLE", "must be true or false, got %q", p)
	}
}

// dataDir is the folder of a SQLite database (DATABASE_URL sqlite://PATH
// or a plain path), where Parley keeps its files; data for PostgreSQL.
func dataDir(databaseURL string) string {
	path, ok := strings.CutPrefix(databaseURL, "sqlite://")
	if !ok && hasScheme(databaseURL) {
		return "data"
	}
	path, _, _ = strings.Cut(path, "?")
	if path == "" || path == ":memory:" {
		return "data"
	}
	return filepath.Dir(path)
}

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
