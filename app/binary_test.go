package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// testOnlyPackage reports whether a package exists for tests: the
// standard library's testing packages and ours named *test (plivotest,
// inboxtest, authtest). None of them belongs in the binary that ships.
func testOnlyPackage(pkg string) bool {
	switch {
	case pkg == "testing", strings.HasPrefix(pkg, "testing/"), pkg == "net/http/httptest":
		return true
	case strings.HasPrefix(pkg, module+"/"):
		return strings.HasSuffix(pkg, "test")
	}
	return false
}

// testingImporters are the third-party packages in the binary allowed to
// import testing, and why: Fiber v2's utils declares assertion helpers
// that take a testing.TB. The linker drops what they do not call, so of
// testing only its package initialisation remains.
var testingImporters = map[string]string{
	"github.com/gofiber/fiber/v2/utils": "AssertEqual takes a testing.TB",
}

// The parley binary's packages, as go build sees them: none exists for
// tests, and only the third-party packages named above import testing.
func TestBinaryImportsNoTestCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", module+"/app").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	packages := 0
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, imports := f[0], f[1:]
		packages++
		for _, imp := range imports {
			if !testOnlyPackage(imp) {
				continue
			}
			if _, ok := testingImporters[pkg]; ok && imp == "testing" {
				continue
			}
			t.Errorf("%s imports %s, test code, into the parley binary", pkg, imp)
		}
	}
	if packages < 100 {
		t.Fatalf("go list named %d packages, want the parley binary's dependencies", packages)
	}
}

// symbolPackage is the import path of the package a Go symbol belongs to:
// "net/http/httptest" for "net/http/httptest.(*Server).Close".
func symbolPackage(sym string) string {
	sym = strings.TrimPrefix(sym, "type:")
	slash := strings.LastIndex(sym, "/")
	dot := strings.Index(sym[slash+1:], ".")
	if dot < 0 {
		return sym
	}
	return sym[:slash+1+dot]
}

// The parley binary, built as deployed, holds no test code: its symbol
// table names no code of a package that exists for tests, beyond the
// package initialisation of testing (see testingImporters).
func TestBinaryHoldsNoTestCode(t *testing.T) {
	bin := buildParley(t)
	out, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	linked := map[string]bool{}
	var found []string
	for line := range strings.SplitSeq(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		kind, sym := f[1], f[2]
		pkg := symbolPackage(sym)
		linked[pkg] = true
		if !testOnlyPackage(pkg) || pkg == "testing" && (kind != "T" || sym == "testing.init") {
			continue
		}
		found = append(found, sym)
	}
	// The symbol table was read right: packages the binary must hold are
	// named in it, a nested one of ours included.
	for _, pkg := range []string{"main", "net/http", module + "/app/plivo/simulator"} {
		if !linked[pkg] {
			t.Fatalf("no symbol of %s in the binary (%d packages read), want the parley binary's symbol table", pkg, len(linked))
		}
	}
	if len(found) > 0 {
		slices.Sort(found)
		t.Errorf("the parley binary holds %d symbols of test code, e.g. %v", len(found), found[:min(len(found), 5)])
	}
}
