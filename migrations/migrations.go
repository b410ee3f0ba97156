// Package migrations embeds the SQL schema of each database dialect.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// FS returns the migrations of one dialect ("postgres" or "sqlite") rooted at
// that dialect's folder. Each dialect has its own root because bun's
// discovery walks a tree recursively and a later file with the same id would
// silently replace an earlier one.
func FS(dialect string) (fs.FS, error) {
	switch dialect {
	case "postgres", "sqlite":
		return fs.Sub(files, dialect)
	}
	return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
}
