package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEvidenceCitations: every "EVIDENCE.md §n" in the repository's code,
// data and docs names a section anchored in docs/EVIDENCE.md (id "sn"),
// and nothing cites the project's old domain notes, which are not in the
// repository.
func TestEvidenceCitations(t *testing.T) {
	root := filepath.Join("..", "..")
	ev, err := os.ReadFile(filepath.Join(root, "docs", "EVIDENCE.md"))
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`<a id="(s\d+[a-z]?)"></a>`).FindAllStringSubmatch(string(ev), -1) {
		anchors[m[1]] = true
	}
	if len(anchors) < 20 {
		t.Fatalf("docs/EVIDENCE.md has %d section anchors", len(anchors))
	}
	cite := regexp.MustCompile(`EVIDENCE\.md §(\d+[a-z]?)|EVIDENCE\.md#(s\d+[a-z]?)`)
	old := "DOMAIN" + ".md" // split so that this file does not match itself
	n := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "dist", "bin", "node_modules", "gallery":
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".yaml", ".yml", ".csv", ".toml", ".json", ".tsv":
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s := string(b)
		if strings.Contains(s, old) {
			t.Errorf("%s cites %s, which is not in the repository (cite docs/EVIDENCE.md)", path, old)
		}
		for _, m := range cite.FindAllStringSubmatch(s, -1) {
			id := m[2]
			if id == "" {
				id = "s" + m[1]
			}
			n++
			if !anchors[id] {
				t.Errorf("%s cites %s: docs/EVIDENCE.md has no section %q", path, m[0], id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("found %d citations of docs/EVIDENCE.md; the code and docs cite it about 250 times", n)
	}
}
