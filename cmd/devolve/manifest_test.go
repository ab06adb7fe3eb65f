package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// umaskModes returns the modes a new file (0666) and a new directory
// (0777) get under this process's umask, found by making one of each.
func umaskModes(t *testing.T) (file, dir fs.FileMode) {
	t.Helper()
	probe := t.TempDir()
	f, err := os.OpenFile(filepath.Join(probe, "f"), os.O_CREATE|os.O_WRONLY, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Mkdir(filepath.Join(probe, "d"), 0o777); err != nil {
		t.Fatal(err)
	}
	fst, _ := os.Stat(filepath.Join(probe, "f"))
	dst, _ := os.Stat(filepath.Join(probe, "d"))
	return fst.Mode().Perm(), dst.Mode().Perm()
}

// TestOutSetManifest: run --out and compare --out write CSV files with no
// comment line (a header, then data, read by encoding/csv with no comment
// option), and manifest.json beside them naming the run (seed, trials,
// scenario hashes as in summary.json, version) and every other file in the
// directory with its true size and SHA-256. Files and the directory have
// the modes the umask gives new files (0644, 0755 under umask 022).
func TestOutSetManifest(t *testing.T) {
	fileMode, dirMode := umaskModes(t)
	bg := context.Background()
	dir := filepath.Join(t.TempDir(), "run")
	code, _, stderr := runCLI(t, bg, "run", "reference-r", "--iterations", "1500", "--seed", "7", "--out", dir, "--draws", "--quiet")
	if code != 0 {
		t.Fatal(stderr)
	}
	var sum struct {
		Seed           uint64 `json:"seed"`
		Iterations     int    `json:"iterations"`
		ScenarioSHA256 string `json:"scenario_sha256"`
		Version        string `json:"version"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	m := checkManifest(t, dir, fileMode, dirMode)
	if m.Command != "run" || m.Seed != 7 || m.Seed != sum.Seed || m.Iterations != sum.Iterations || m.Version != sum.Version ||
		len(m.Scenarios) != 1 || m.Scenarios[0].SHA256 != sum.ScenarioSHA256 || len(sum.ScenarioSHA256) != 64 {
		t.Errorf("manifest %+v does not match summary.json %+v", m, sum)
	}
	if !slices.Equal(m.Args, []string{"run", "reference-r", "--iterations", "1500", "--seed", "7", "--out", dir, "--draws", "--quiet"}) {
		t.Errorf("manifest args %q", m.Args)
	}
	for _, name := range []string{"summary.csv", "draws.csv"} {
		checkPlainCSV(t, filepath.Join(dir, name))
	}

	cdir := filepath.Join(t.TempDir(), "cmp")
	code, _, stderr = runCLI(t, bg, "compare", "suffolk", "suffolk-two", "--iterations", "1200", "--out", cdir)
	if code != 0 {
		t.Fatal(stderr)
	}
	m = checkManifest(t, cdir, fileMode, dirMode)
	if m.Command != "compare" || len(m.Scenarios) != 2 || m.Scenarios[0].SHA256 == m.Scenarios[1].SHA256 || m.Iterations != 1200 {
		t.Errorf("compare manifest %+v", m)
	}

	// The same directory is devolve's and may be replaced; one whose
	// manifest.json is not devolve's may not.
	if code, _, stderr = runCLI(t, bg, "run", "reference-r", "--iterations", "1000", "--out", dir, "--quiet"); code != 0 {
		t.Fatalf("rerun into a devolve set: exit %d, %s", code, stderr)
	}
	checkManifest(t, dir, fileMode, dirMode)
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "manifest.json"), []byte(`{"name": "my own"}`), 0o644)
	if code, _, stderr = runCLI(t, bg, "run", "reference-r", "--iterations", "1000", "--out", other, "--quiet"); code != 2 || !strings.Contains(stderr, "did not write") {
		t.Errorf("a directory with someone else's manifest.json: exit %d, %s", code, stderr)
	}
}

// checkManifest reads dir/manifest.json and checks it lists every other
// file in dir with its size and hash, and the modes of dir and its files.
func checkManifest(t *testing.T, dir string, fileMode, dirMode fs.FileMode) *outManifest {
	t.Helper()
	m, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != manifestFormat || m.Version != version {
		t.Errorf("manifest format %d version %q", m.Format, m.Version)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		if e.Name() != manifestName {
			names = append(names, e.Name())
		}
		if st, _ := e.Info(); runtime.GOOS != "windows" && st.Mode().Perm() != fileMode {
			t.Errorf("%s: mode %v, want %v (0666 less the umask)", e.Name(), st.Mode().Perm(), fileMode)
		}
	}
	if st, _ := os.Stat(dir); runtime.GOOS != "windows" && st.Mode().Perm() != dirMode {
		t.Errorf("%s: mode %v, want %v (0777 less the umask)", dir, st.Mode().Perm(), dirMode)
	}
	var listed []string
	for _, f := range m.Files {
		listed = append(listed, f.Name)
		b, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Errorf("manifest lists %s: %v", f.Name, err)
			continue
		}
		h := sha256.Sum256(b)
		if int64(len(b)) != f.Bytes || hex.EncodeToString(h[:]) != f.SHA256 {
			t.Errorf("%s: manifest says %d bytes %.12s, file has %d bytes %.12s", f.Name, f.Bytes, f.SHA256, len(b), hex.EncodeToString(h[:]))
		}
	}
	if !slices.Equal(listed, names) || len(names) < 3 {
		t.Errorf("manifest lists %q; directory holds %q", listed, names)
	}
	return m
}

// checkPlainCSV checks a CSV file opens as Excel, pandas and R open it by
// default: the first line is the header (no '#' comment), every row as
// long as it.
func checkPlainCSV(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(b, []byte("#")) || bytes.Contains(b, []byte("\n#")) {
		t.Errorf("%s has a comment line", filepath.Base(path))
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("%s: %d records, %v", filepath.Base(path), len(recs), err)
	}
	for _, h := range recs[0] {
		if h == "" {
			t.Errorf("%s: header %q has an empty name", filepath.Base(path), recs[0])
		}
	}
}

// TestSingleFilesMode: report --out FILE and area --write FILE create
// their files with mode 0666 less the umask (they were 0600: written via
// os.CreateTemp).
func TestSingleFilesMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	fileMode, _ := umaskModes(t)
	dir := t.TempDir()
	k := filepath.Join(dir, "k.yaml")
	if code, _, stderr := runCLI(t, context.Background(), "area", "suffolk", "--write", k); code != 0 {
		t.Fatal(stderr)
	}
	html := filepath.Join(dir, "r.html")
	if code, _, stderr := runCLI(t, context.Background(), "report", "reference-r", "--iterations", "1000", "--out", html); code != 0 {
		t.Fatal(stderr)
	}
	for _, p := range []string{k, html} {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != fileMode {
			t.Errorf("%s: mode %v (%v), want %v", filepath.Base(p), st.Mode().Perm(), err, fileMode)
		}
	}
}
