package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/parleyhq/parley"

// allowedImports is the dependency direction of the architecture: which of
// our packages each package may import, directly or not.
var allowedImports = map[string][]string{
	"app/inbox":           {},
	"app/config":          {},
	"app/metrics":         {},
	"app/replay":          {},
	"app/testenv":         {},
	"migrations":          {},
	"app/store":           {"app/inbox", "migrations"},
	"app/plivo":           {"app/inbox"},
	"app/live":            {"app/inbox"},
	"app/web":             {"app/inbox", "app/plivo", "app/live", "app/auth", "app/ratelimit", "app/replay", "views", "static"},
	"app/plivo/plivotest": {"app/plivo", "app/inbox"},
	"app/inbox/inboxtest": {"app/inbox"},
}

func TestImportRules(t *testing.T) {
	for pkg, allowed := range allowedImports {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", module+"/"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			rel, ours := strings.CutPrefix(dep, module+"/")
			if !ours || rel == pkg {
				continue
			}
			if !slices.Contains(allowed, rel) {
				t.Errorf("%s imports %s; it may import only %v", pkg, rel, allowed)
			}
		}
	}
}
