package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// notRunMarker, on the line before a shell block in README.md, excuses the
// block from TestReadmeShellBlocks and says why it cannot run here.
var notRunMarker = regexp.MustCompile(`^<!-- not run by the README test: (.*\S)\s*-->$`)

var fence = regexp.MustCompile("^```\\s*([A-Za-z0-9_-]*)\\s*$")

// readmeBlock is one fenced shell block of a Markdown file.
type readmeBlock struct {
	line    int    // of the opening fence, 1-based
	heading string // the section it sits in
	body    string
	notRun  string // the marker's reason; empty when the block runs
}

// shellBlocks returns the fenced sh/bash/shell blocks of a Markdown text.
// A marker that stands before anything but a shell block is an error, so a
// stale excuse cannot outlive its block.
func shellBlocks(md string) ([]readmeBlock, error) {
	var blocks []readmeBlock
	var cur *readmeBlock
	heading, pending, pendingLine, inOther := "", "", 0, false
	sc := bufio.NewScanner(strings.NewReader(md))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.body += line + "\n"
		case inOther:
			inOther = strings.TrimSpace(line) != "```"
		case fence.MatchString(line):
			lang := fence.FindStringSubmatch(line)[1]
			if lang == "sh" || lang == "bash" || lang == "shell" {
				cur = &readmeBlock{line: n, heading: heading, notRun: pending}
				pending = ""
				continue
			}
			inOther = true
		case notRunMarker.MatchString(line):
			pending, pendingLine = notRunMarker.FindStringSubmatch(line)[1], n
			continue
		case strings.HasPrefix(line, "#"):
			heading = strings.TrimSpace(strings.TrimLeft(line, "#"))
		}
		if pending != "" && strings.TrimSpace(line) != "" {
			return nil, fmt.Errorf("line %d: the not-run marker is not followed by a shell block", pendingLine)
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("line %d: the block is never closed", cur.line)
	}
	if pending != "" {
		return nil, fmt.Errorf("line %d: the not-run marker is not followed by a shell block", pendingLine)
	}
	return blocks, sc.Err()
}

func TestShellBlocks(t *testing.T) {
	const marker = "<!-- not run by the README test: needs Docker -->"
	tests := []struct {
		name    string
		md      string
		want    []readmeBlock
		wantErr string
	}{
		{
			name: "shell blocks with their section, others ignored",
			md:   "# A\n```sh\necho a\n```\n## B\n```json\n{}\n```\n```\nplain\n```\n```bash\necho b\n```\n",
			want: []readmeBlock{{line: 2, heading: "A", body: "echo a\n"}, {line: 12, heading: "B", body: "echo b\n"}},
		},
		{
			name: "a marker excuses the next block only",
			md:   marker + "\n```sh\ndocker compose up\n```\n```sh\necho run\n```\n",
			want: []readmeBlock{{line: 2, body: "docker compose up\n", notRun: "needs Docker"}, {line: 5, body: "echo run\n"}},
		},
		{
			name:    "a marker before prose is stale",
			md:      marker + "\nSome words.\n```sh\necho run\n```\n",
			wantErr: "line 1: the not-run marker is not followed by a shell block",
		},
		{
			name:    "a marker before a non-shell block is stale",
			md:      marker + "\n```json\n{}\n```\n",
			wantErr: "line 1: the not-run marker is not followed by a shell block",
		},
		{
			name:    "an unclosed block",
			md:      "```sh\necho a\n",
			wantErr: "line 1: the block is never closed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := shellBlocks(tt.md)
			if fmt.Sprint(err) != fmt.Sprint(errOrNil(tt.wantErr)) {
				t.Fatalf("err=%v, want %q", err, tt.wantErr)
			}
			if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", tt.want) {
				t.Fatalf("blocks=%+v, want %+v", got, tt.want)
			}
		})
	}
}

func errOrNil(s string) error {
	if s == "" {
		return nil
	}
	return fmt.Errorf("%s", s)
}

// TestReadmeShellBlocks runs every shell block of README.md that is not
// marked as impossible here, against a Parley of its own: "go run ./app"
// and "./parley" become this test binary acting as parley (see TestMain),
// http://localhost:3000 becomes that Parley's address, curl fails on an
// HTTP error, and each block runs in an empty folder under bash -euo
// pipefail, so any failing command fails the test. A new block is run without anyone listing it.
func TestReadmeShellBlocks(t *testing.T) {
	md, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := shellBlocks(string(md))
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "parley.db")}
	base := startParley(t, env)
	bin := blockCommands(t)
	ran := 0
	for _, b := range blocks {
		if b.notRun != "" {
			t.Logf("README.md:%d (%s) not run: %s", b.line, b.heading, b.notRun)
			continue
		}
		ran++
		t.Run(fmt.Sprintf("line %d %s", b.line, b.heading), func(t *testing.T) {
			script := strings.NewReplacer(
				"go run ./app", "parley",
				"./parley", "parley",
				"http://localhost:3000", base,
			).Replace(b.body)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
			cmd.Dir = t.TempDir()
			cmd.Env = append(blockEnviron(),
				"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
				"PORT="+env["PORT"], "PUBLIC_URL="+base, "DATABASE_URL="+env["DATABASE_URL"])
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("README.md:%d failed: %v\n--- script\n%s--- output\n%s", b.line, err, script, out)
			}
		})
	}
	if ran == 0 {
		t.Fatal("no README block ran; the marker or the fences changed?")
	}
}

// blockEnviron is this process's environment without Parley's own
// settings, so a block sees what a newcomer's shell holds.
func blockEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "PATH", k == "PORT", k == "PUBLIC_URL", k == "DATABASE_URL", k == "REDIS_URL",
			k == "SESSION_SECRET", k == "BIND_ADDRESS", strings.HasPrefix(k, "PLIVO_"), strings.HasPrefix(k, "PARLEY_"):
			continue
		}
		env = append(env, kv)
	}
	return env
}

// blockCommands returns a folder holding a "parley" command that runs this
// test binary as the parley binary (which saves building another one), and
// a "curl" that fails on an HTTP error status: a recipe that answers 403
// prints it and still exits 0, which must not pass for working.
func blockCommands(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := fmt.Sprintf("#!/bin/sh\n%s=1 exec '%s' \"$@\"\n", runAsParley, self)
	if err := os.WriteFile(filepath.Join(dir, "parley"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Fatal("the README's recipes use curl: install it")
	}
	script = fmt.Sprintf(`#!/bin/sh
for a; do case "$a" in --fail|--fail-with-body|-f*|-[!-]*f*) exec '%[1]s' "$@";; esac; done
exec '%[1]s' --fail-with-body "$@"
`, curl)
	if err := os.WriteFile(filepath.Join(dir, "curl"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
