package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"
)

// TestReleaseConfigBuildsLikeTaskBuild keeps .goreleaser.yaml in step with
// task build and the Dockerfile: static, trimmed, version stamped, for the
// four platforms, with a checksum file. (goreleaser check itself takes
// minutes to compile, too long for every CI run; run it before a release.)
func TestReleaseConfigBuildsLikeTaskBuild(t *testing.T) {
	raw, err := os.ReadFile("../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Builds []struct {
			Main    string   `yaml:"main"`
			Binary  string   `yaml:"binary"`
			Env     []string `yaml:"env"`
			Flags   []string `yaml:"flags"`
			Ldflags []string `yaml:"ldflags"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
		} `yaml:"builds"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if len(cfg.Builds) != 1 {
		t.Fatalf("builds=%d, want 1", len(cfg.Builds))
	}
	b := cfg.Builds[0]
	ldflags := strings.Join(b.Ldflags, " ")
	checks := []struct {
		what string
		ok   bool
	}{
		{"main is ./app, binary parley", b.Main == "./app" && b.Binary == "parley"},
		{"CGO_ENABLED=0 (static)", slices.Contains(b.Env, "CGO_ENABLED=0")},
		{"-trimpath", slices.Contains(b.Flags, "-trimpath")},
		{"-s -w and the version, commit and date of main", strings.Contains(ldflags, "-s -w") &&
			strings.Contains(ldflags, "-X main.version=") && strings.Contains(ldflags, "-X main.commit=") && strings.Contains(ldflags, "-X main.date=")},
		{"linux and darwin", slices.Equal(b.Goos, []string{"linux", "darwin"})},
		{"amd64 and arm64", slices.Equal(b.Goarch, []string{"amd64", "arm64"})},
		{"a checksum file", cfg.Checksum.NameTemplate != ""},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf(".goreleaser.yaml: want %s; builds[0]=%+v", c.what, b)
		}
	}
}
