package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/parleyhq/parley"

// allowedImports is the dependency direction of the architecture
// (docs/architecture.md): which of our packages each package may import,
// directly or not. Every package of the module has a row, so a new package
// states its place before it builds on anything.
var allowedImports = map[string][]string{
	// Leaves: the domain and the packages that know nothing of ours.
	"app/inbox":   {},
	"app/config":  {},
	"app/metrics": {},
	"app/replay":  {},
	"migrations":  {},
	"static":      {},
	// Names the optional test suites and counts their skips (tests only).
	"app/testenv": {},
	// Server-Sent Events on the wire (framing, chunks, the id window): a
	// leaf that app/web fills with Parley's events.
	"app/sse": {},

	// Adapters around the domain; they never import each other.
	"app/store":     {"app/inbox", "migrations"},
	"app/plivo":     {"app/inbox"},
	"app/live":      {"app/inbox"},
	"app/auth":      {"app/inbox"},
	"app/ratelimit": {"app/inbox"},
	// Outgoing webhooks' edge: signing, Slack messages, the SSRF guard.
	"app/webhooks": {"app/inbox"},
	// Media files: stores (disk, S3), types, thumbnails, signed URLs and
	// the copying of inbound media.
	"app/media": {"app/inbox"},

	// The simulated carrier ships (development mode, the load tools): it
	// plays Plivo's side of the carrier edge.
	"app/plivo/simulator": {"app/plivo", "app/inbox"},

	// Presentation: views renders domain values; web is the HTTP edge.
	"views":   {"app/inbox", "static"},
	"app/web": {"app/inbox", "app/plivo", "app/live", "app/sse", "app/auth", "app/ratelimit", "app/replay", "app/media", "views", "static"},

	// The load tools: they start Parley as a child process and measure
	// it over HTTP; bench outbox and the ingest check use the store and the
	// simulated carrier in process.
	"app/bench": {"app/inbox", "app/store", "migrations", "app/plivo", "app/plivo/simulator"},

	// Test support, imported only by tests.
	"app/inbox/inboxtest": {"app/inbox"},
	"app/plivo/plivotest": {"app/plivo/simulator", "app/plivo", "app/inbox"},
	"app/auth/authtest":   {},
	"app/store/storetest": {"app/store", "app/inbox", "app/inbox/inboxtest", "migrations", "app/testenv"},
	// Tests of the use cases over the real store; no code of its own.
	"app/usecases": {},

	// main wires everything.
	"app": nil,
}

// mayImportAnything marks the row of the package that does the wiring.
func mayImportAnything(pkg string) bool { return allowedImports[pkg] == nil }

func TestImportRules(t *testing.T) {
	for pkg, allowed := range allowedImports {
		if mayImportAnything(pkg) {
			continue
		}
		for _, rel := range ourDeps(t, pkg) {
			if rel != pkg && !slices.Contains(allowed, rel) {
				t.Errorf("%s imports %s; it may import only %v", pkg, rel, allowed)
			}
		}
	}
}

// TestImportRulesCoverEveryPackage keeps the table total: a package missing
// from it would be free to import anything unnoticed.
func TestImportRulesCoverEveryPackage(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}", module+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	listed := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p, module), "/")
		listed[rel] = true
		if _, ok := allowedImports[rel]; !ok {
			t.Errorf("package %s has no row in allowedImports; add it with what it may import (docs/architecture.md)", rel)
		}
	}
	for pkg := range allowedImports {
		if !listed[pkg] {
			t.Errorf("allowedImports names %s, which is not a package of the module", pkg)
		}
	}
}

// ourDeps lists the module's packages that pkg depends on, directly or
// not, relative to the module path.
func ourDeps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", module+"/"+pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", pkg, err, out)
	}
	var deps []string
	for _, dep := range strings.Fields(string(out)) {
		if rel, ours := strings.CutPrefix(dep, module+"/"); ours {
			deps = append(deps, rel)
		}
	}
	return deps
}
