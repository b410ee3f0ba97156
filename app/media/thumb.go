package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"

	// Decoders of the picture types Plivo carries; all pure Go.
	_ "image/gif"
	_ "image/png"

	"golang.org/x/image/draw"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// ThumbSize is the longest side of a thumbnail, in pixels: twice the
// size the thread shows, for sharp screens.
const ThumbSize = 320

// maxPixels refuses to decode pictures whose header claims more than
// this, so a small file cannot unpack into gigabytes.
const maxPixels = 50_000_000

// Thumbnail makes a JPEG no larger than ThumbSize on its longest side
// from a picture's bytes; transparent parts turn white.
func Thumbnail(data []byte) ([]byte, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("media: thumbnail: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return nil, fmt.Errorf("media: thumbnail: %dx%d is too large a picture", cfg.Width, cfg.Height)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("media: thumbnail: %w", err)
	}
	w, h := fit(src.Bounds().Dx(), src.Bounds().Dy(), ThumbSize)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Over, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, fmt.Errorf("media: thumbnail: %w", err)
	}
	return out.Bytes(), nil
}

// fit scales w×h down to fit in a box of side n, keeping the shape.
func fit(w, h, n int) (int, int) {
	if w <= n && h <= n {
		return w, h
	}
	if w >= h {
		return n, max(1, h*n/w)
	}
	return max(1, w*n/h), n
}

// Keep checks and stores a file and, for a picture, its thumbnail. It is
// the one path every file takes into the store: uploads and inbound
// copies alike. The thumbnail is made once, when the file is first kept;
// a picture that cannot be decoded is kept without one.
func Keep(ctx context.Context, s Store, name, declared string, data []byte, maxSize int64) (Attachment, error) {
	t, err := Check(name, declared, data[:min(len(data), 512)], int64(len(data)), maxSize)
	if err != nil {
		return Attachment{}, err
	}
	o, err := Save(ctx, s, t, data)
	if err != nil {
		return Attachment{}, err
	}
	a := Attachment{Key: o.Key, Name: name, ContentType: t, Size: o.Size}
	if IsImage(t) {
		if thumb, err := Thumbnail(data); err == nil {
			to, err := Save(ctx, s, "image/jpeg", thumb)
			if err != nil {
				return Attachment{}, err
			}
			a.Thumb = to.Key
		}
	}
	return a, nil
}
