package media

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options says where an S3-compatible store is and how to sign in.
type S3Options struct {
	// Bucket and Prefix come from MEDIA_STORE=s3://bucket/prefix.
	Bucket, Prefix string
	// Endpoint is host[:port] or a URL; empty means AWS S3
	// (s3.amazonaws.com). An http:// URL turns TLS off.
	Endpoint string
	Region   string
	// AccessKey and SecretKey sign requests; both empty uses the
	// environment's chain (IAM role, AWS_* variables) as minio-go reads it.
	AccessKey, SecretKey, SessionToken string
	// PathStyle addresses the bucket in the path (MinIO, most self-hosted
	// stores) rather than the host name.
	PathStyle bool
}

// S3 keeps files as objects named prefix/key in one bucket, so several
// Parley instances share them.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string
}

// ParseS3URL reads MEDIA_STORE's s3://bucket/prefix form.
func ParseS3URL(raw string) (bucket, prefix string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return "", "", fmt.Errorf("%q is not s3://bucket/prefix", raw)
	}
	return u.Host, strings.Trim(u.Path, "/"), nil
}

// NewS3 connects to the store; it does not check the bucket exists.
func NewS3(o S3Options) (*S3, error) {
	endpoint, secure := "s3.amazonaws.com", true
	if o.Endpoint != "" {
		endpoint = o.Endpoint
		if u, err := url.Parse(o.Endpoint); err == nil && u.Host != "" {
			endpoint, secure = u.Host, u.Scheme != "http"
		}
	}
	creds := credentials.NewStaticV4(o.AccessKey, o.SecretKey, o.SessionToken)
	if o.AccessKey == "" && o.SecretKey == "" {
		creds = credentials.NewChainCredentials([]credentials.Provider{&credentials.EnvAWS{}, &credentials.IAM{}})
	}
	lookup := minio.BucketLookupAuto
	if o.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(endpoint, &minio.Options{Creds: creds, Secure: secure, Region: o.Region, BucketLookup: lookup})
	if err != nil {
		return nil, fmt.Errorf("media: s3: %w", err)
	}
	return &S3{client: client, bucket: o.Bucket, prefix: strings.Trim(o.Prefix, "/")}, nil
}

func (s *S3) name(key string) string {
	if s.prefix == "" {
		return key
	}
	return s.prefix + "/" + key
}

// Put uploads the object unless one of that key is already there.
func (s *S3) Put(ctx context.Context, key, contentType string, r io.Reader, size int64) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: bad key %q", key)
	}
	if _, err := s.client.StatObject(ctx, s.bucket, s.name(key), minio.StatObjectOptions{}); err == nil {
		return nil
	}
	_, err := s.client.PutObject(ctx, s.bucket, s.name(key), r, size, minio.PutObjectOptions{ContentType: contentType})
	if err != nil {
		return fmt.Errorf("media: s3 put %s: %w", key, err)
	}
	return nil
}

// Open streams the object.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	if !ValidKey(key) {
		return nil, Object{}, ErrNotFound
	}
	info, err := s.client.StatObject(ctx, s.bucket, s.name(key), minio.StatObjectOptions{})
	if err != nil {
		if minio.ToErrorResponse(err).StatusCode == 404 {
			return nil, Object{}, ErrNotFound
		}
		return nil, Object{}, fmt.Errorf("media: s3 stat %s: %w", key, err)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.name(key), minio.GetObjectOptions{})
	if err != nil {
		return nil, Object{}, fmt.Errorf("media: s3 get %s: %w", key, err)
	}
	return obj, Object{Key: key, ContentType: info.ContentType, Size: info.Size}, nil
}
