package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"regexp"
)

// Store keeps files by key. Keys are the hex SHA-256 of the bytes, so a
// file stored twice is stored once, and a key cannot be guessed from
// anything but the file itself.
type Store interface {
	// Put stores size bytes read from r under key with its content type.
	// Storing a key that exists is not an error.
	Put(ctx context.Context, key, contentType string, r io.Reader, size int64) error
	// Open returns the file under key and what it is; ErrNotFound when
	// there is none. The caller closes the reader.
	Open(ctx context.Context, key string) (io.ReadCloser, Object, error)
}

// Object describes a stored file.
type Object struct {
	Key         string
	ContentType string
	Size        int64
}

// ErrNotFound is a key the store does not hold.
var ErrNotFound = errors.New("media: not found")

var keyPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidKey reports whether key is the shape of a key: 64 lower-case hex
// digits. Paths and object names are built only from valid keys.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

// KeyOf is the key of data.
func KeyOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Save stores data (already checked) under its key and returns it.
func Save(ctx context.Context, s Store, contentType string, data []byte) (Object, error) {
	o := Object{Key: KeyOf(data), ContentType: contentType, Size: int64(len(data))}
	if err := s.Put(ctx, o.Key, contentType, bytesReader(data), o.Size); err != nil {
		return Object{}, err
	}
	return o, nil
}
