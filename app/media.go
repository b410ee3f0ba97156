package main

import (
	"log/slog"

	"github.com/parleyhq/parley/app/config"
	"github.com/parleyhq/parley/app/inbox"
	"github.com/parleyhq/parley/app/media"
	"github.com/parleyhq/parley/app/web"
)

// Media is what main wires for attachments: the store, the signer of
// URLs and tokens, and the copier of inbound files.
type Media struct {
	Store  media.Store
	Signer *media.Signer
	Copier *media.Copier
}

// newMedia opens MEDIA_STORE: a folder, or an S3-compatible bucket shared
// by every instance. Signed URLs and attachment tokens are keyed from
// SESSION_SECRET, which every instance already shares.
func newMedia(cfg config.Config, st inbox.MediaCopyStore, pub inbox.Publisher, log *slog.Logger) (*Media, error) {
	var s media.Store
	var err error
	if cfg.Media.S3() {
		s, err = media.NewS3(media.S3Options{
			Bucket: cfg.Media.S3Bucket, Prefix: cfg.Media.S3Prefix, Endpoint: cfg.Media.S3Endpoint, Region: cfg.Media.S3Region,
			AccessKey: cfg.Media.S3AccessKey, SecretKey: cfg.Media.S3SecretKey, SessionToken: cfg.Media.S3SessionToken,
			PathStyle: cfg.Media.S3PathStyle,
		})
	} else {
		s, err = media.NewDisk(cfg.Media.Dir)
	}
	if err != nil {
		return nil, err
	}
	return &Media{
		Store:  s,
		Signer: media.NewSigner(cfg.SessionSecret, cfg.PublicURL),
		Copier: media.NewCopier(media.CopierOptions{Queue: st, Store: s, Publisher: pub, Log: log}),
	}, nil
}

func (m *Media) webDeps() web.MediaDeps { return web.MediaDeps{Store: m.Store, Signer: m.Signer} }
