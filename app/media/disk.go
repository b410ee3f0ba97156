package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Disk keeps files in a folder, two levels of fan-out deep
// (ab/cd/abcd…), with the content type in a file beside each one.
type Disk struct{ dir string }

// NewDisk returns a Disk over dir; the folder is made when the first file
// is stored. A dir that exists and is not a folder is an error.
func NewDisk(dir string) (*Disk, error) {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return nil, fmt.Errorf("media: %s is not a folder", dir)
	}
	return &Disk{dir: dir}, nil
}

func (d *Disk) path(key string) string {
	return filepath.Join(d.dir, key[:2], key[2:4], key)
}

// Put writes the file through a temporary name and renames it into place,
// so a reader never sees half a file.
func (d *Disk) Put(_ context.Context, key, contentType string, r io.Reader, size int64) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: bad key %q", key)
	}
	p := d.path(key)
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	if err := os.WriteFile(p+".type", []byte(contentType), 0o640); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), key+".*.tmp")
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, size+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != size {
		err = fmt.Errorf("read %d bytes, want %d", n, size)
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("media: store %s: %w", key, err)
	}
	return nil
}

// Open opens the file under key.
func (d *Disk) Open(_ context.Context, key string) (io.ReadCloser, Object, error) {
	if !ValidKey(key) {
		return nil, Object{}, ErrNotFound
	}
	p := d.path(key)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Object{}, ErrNotFound
	}
	if err != nil {
		return nil, Object{}, fmt.Errorf("media: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Object{}, fmt.Errorf("media: %w", err)
	}
	t, err := os.ReadFile(p + ".type")
	if err != nil {
		f.Close()
		return nil, Object{}, fmt.Errorf("media: %w", err)
	}
	return f, Object{Key: key, ContentType: string(t), Size: info.Size()}, nil
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
