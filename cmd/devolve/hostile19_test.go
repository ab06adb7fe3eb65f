package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestByteOrderMark: a UTF-8 byte-order mark (as spreadsheets save "CSV
// UTF-8") is stripped from every file read: calibrate FILE.csv finds its
// first column, --panel reads its header, and no suggestion names the
// mark (issue 19).
func TestByteOrderMark(t *testing.T) {
	dir := t.TempDir()
	const bom = "\ufeff"
	csvFile := filepath.Join(dir, "costs.csv")
	var b strings.Builder
	b.WriteString(bom + "cost\n")
	for i := 1; i <= 30; i++ {
		b.WriteString(strings.Repeat("1", 1+i%3) + "0\n")
	}
	if err := os.WriteFile(csvFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, context.Background(), "calibrate", csvFile, "--column", "cost", "--bootstrap", "20")
	if code != exitOK {
		t.Errorf("calibrate with a BOM: exit %d: %s", code, stderr)
	}
	code, _, stderr = runCLI(t, context.Background(), "calibrate", csvFile, "--column", "cots", "--bootstrap", "20")
	if code != exitUsage || strings.Contains(stderr, bom) || !strings.Contains(stderr, `did you mean "cost"`) {
		t.Errorf("misspelt column with a BOM: exit %d: %q", code, stderr)
	}
	example, err := os.ReadFile(filepath.Join("..", "..", "calibration", "data", "example_panel.csv"))
	if err != nil {
		t.Fatal(err)
	}
	panel := filepath.Join(dir, "panel.csv")
	if err := os.WriteFile(panel, append([]byte(bom), example...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, context.Background(), "calibrate", "--panel", panel); code != exitOK {
		t.Errorf("--panel with a BOM: exit %d: %s", code, stderr)
	}
}

// TestMessagesDoNotEchoFiles: a file that is not a scenario or a panel is
// never quoted at length in a message: a panel reference to
// /proc/self/environ is refused without printing the environment, and
// extends: of a file that is not a scenario is refused before it is read
// (issue 19).
func TestMessagesDoNotEchoFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/self/environ is Linux's")
	}
	const secret = "DEVOLVE_TEST_SECRET_7f3a"
	t.Setenv(secret, "hunter2")
	dir := t.TempDir()
	base, err := os.ReadFile("testdata/bad/base.yaml.src")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, ref, want string }{
		{"environ", "panel:/proc/self/environ#q", "must be a .csv file"},
		{"environ csv", "panel:" + filepath.Join(dir, "environ.csv") + "#q", "not an ordinary file"},
	} {
		if c.name == "environ csv" {
			if err := os.Symlink("/proc/self/environ", filepath.Join(dir, "environ.csv")); err != nil {
				t.Fatal(err)
			}
		}
		file := filepath.Join(dir, c.name+".yaml")
		text := strings.Replace(string(base), "amount: 5m,", `amount: {reference: "`+c.ref+`"},`, 1)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		code, stderr := guarded(t, "validate", file)
		if code != exitUsage || strings.Contains(stderr, secret) || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "items[0].amount") {
			t.Errorf("%s: exit %d: %.300q", c.name, code, stderr)
		}
	}
}

// TestMessageBounds: however many problems a file has and however long its
// keys, the message is at most maxProblems lines of at most maxLineBytes
// (plus a count), with terminal escape sequences escaped (issue 19).
func TestMessageBounds(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`{"name": "x"`)
	for i := range 500 {
		b.WriteString(`, "k` + strings.Repeat("x", 5000) + `\u001b[31m` + strings.Repeat("y", i) + `": 1`)
	}
	b.WriteString("}")
	file := filepath.Join(dir, "keys.json")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stderr := guarded(t, "validate", file)
	if code != exitUsage {
		t.Errorf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) > maxProblems+1 || !strings.Contains(lines[len(lines)-1], "more problems") {
		t.Errorf("%d lines; the last: %.200q", len(lines), lines[len(lines)-1])
	}
	for _, l := range lines {
		if len(l) > maxLineBytes+100 {
			t.Errorf("a line of %d bytes", len(l))
		}
		if strings.Contains(l, "\x1b") {
			t.Errorf("a raw escape character: %.200q", l)
		}
	}
}

// TestCalibrateInterrupt: calibrate on a large column stops promptly once
// its context is cancelled (issue 19: the first Ctrl-C was ignored for
// more than 57 s; 200,000 values ran 20 s on after it).
func TestCalibrateInterrupt(t *testing.T) {
	file := filepath.Join(t.TempDir(), "big.csv")
	var b strings.Builder
	b.WriteString("cost\n")
	x := uint64(1)
	for range 200_000 {
		x = x*6364136223846793005 + 1442695040888963407
		fmt.Fprintf(&b, "%d\n", 1000+x>>44)
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	code, _, stderr := runCLI(t, ctx, "calibrate", file, "--column", "cost")
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d: %s", code, exitInterrupted, stderr)
	}
	// Generous for a shared machine: it was 20 s before the fix.
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("returned %v after the start (cancelled at 0.3 s)", el)
	}
}

// TestPanelLimits: a panel over MaxPanelSize, or with more than
// MaxPanelJudgements judgements, is exit 2 within the corpus limits (issue
// 19: a 10 MiB panel ran out of memory; 1 MiB of judgements took 78 s).
func TestPanelLimits(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, rows int) string {
		var b strings.Builder
		b.WriteString("expert,quantity,percentile,value\n")
		for i := range rows {
			fmt.Fprintf(&b, "e%d,q%d,%d,%d\n", i/3, i/3%7, []int{10, 50, 90}[i%3], []int{1, 2, 5}[i%3])
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		file, want string
	}{
		{write("many.csv", 3*2001), "at most 2000"},
		{write("huge.csv", 120_000), "limit"},
	} {
		code, stderr := guarded(t, "calibrate", "--panel", c.file)
		if code != exitUsage || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, c.file) {
			t.Errorf("%s: exit %d: %.300s", c.file, code, stderr)
		}
	}
}

// TestOutReplacesOnlyItsOwnFiles (issue 19): --out into an earlier set
// keeps the files the user added there and removes only the old set's
// files the new one lacks; a file of the set the user changed, a forged
// legacy marker or a manifest listing the user's file stop it (exit 2,
// nothing touched); --out . in an empty working directory writes into it
// and leaves it the same directory (it was swapped out from under the
// shell).
func TestOutReplacesOnlyItsOwnFiles(t *testing.T) {
	bg := context.Background()
	dir := filepath.Join(t.TempDir(), "out")
	runOut := func(extra ...string) (int, string) {
		args := append([]string{"run", "reference-r", "--iterations", "500", "--quiet", "--out", dir}, extra...)
		code, _, stderr := runCLI(t, bg, args...)
		return code, stderr
	}
	if code, stderr := runOut("--draws"); code != 0 {
		t.Fatal(stderr)
	}
	mine := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stderr := runOut(); code != 0 {
		t.Fatalf("rerun: %d %s", code, stderr)
	}
	if b, err := os.ReadFile(mine); err != nil || string(b) != "mine" {
		t.Errorf("the user's file in an earlier set was lost: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "draws.csv")); err == nil {
		t.Error("draws.csv of the old set is still there")
	}
	// A file of the set, changed by the user, is not overwritten.
	sum := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(sum, []byte("my edits"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stderr := runOut(); code != exitUsage || !strings.Contains(stderr, "summary.md was changed") {
		t.Errorf("changed summary.md: exit %d %s", code, stderr)
	}
	if b, _ := os.ReadFile(sum); string(b) != "my edits" {
		t.Error("the user's edits were overwritten")
	}
	// A forged legacy marker, or a manifest listing the user's files.
	for name, forge := range map[string]string{
		legacyMarker:    "",
		"manifest.json": `{"devolve_manifest": 1, "files": [{"name": "thesis.tex", "bytes": 4, "sha256": "0000"}]}`,
	} {
		d := t.TempDir()
		os.WriteFile(filepath.Join(d, "thesis.tex"), []byte("mine"), 0o644)
		os.WriteFile(filepath.Join(d, name), []byte(forge), 0o644)
		code, _, stderr := runCLI(t, bg, "run", "reference-r", "--iterations", "500", "--quiet", "--out", d)
		if code != exitUsage {
			t.Errorf("forged %s: exit %d %s", name, code, stderr)
		}
		if b, err := os.ReadFile(filepath.Join(d, "thesis.tex")); err != nil || string(b) != "mine" {
			t.Errorf("forged %s: the user's file was lost", name)
		}
	}
	// --out . in an empty working directory.
	cwd := t.TempDir()
	before, _ := os.Stat(cwd)
	t.Chdir(cwd)
	if code, _, stderr := runCLI(t, bg, "run", "reference-r", "--iterations", "500", "--quiet", "--out", "."); code != 0 {
		t.Fatalf("--out .: %d %s", code, stderr)
	}
	after, err := os.Stat(cwd)
	if err != nil || !os.SameFile(before, after) {
		t.Errorf("--out . replaced the working directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cwd, "summary.json")); err != nil {
		t.Errorf("--out . wrote no summary.json: %v", err)
	}
}

// TestCSVInjection (issue 19): successor, item and option names starting
// with =, +, - or @ reach no CSV cell raw (summary.csv, draws.csv, and
// compare's CSV); read with encoding/csv, no text cell starts with a
// formula character unless it is a number.
func TestCSVInjection(t *testing.T) {
	base, err := os.ReadFile("testdata/bad/base.yaml.src")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer("name: corpus base", "name: \"=cmd|' /C calc'!A0\"",
		"{name: North, predecessors", "{name: \"=HYPERLINK(1)\", predecessors",
		"{name: programme,", "{name: \"@SUM(1)\",").Replace(string(base))
	dir := t.TempDir()
	file := filepath.Join(dir, "inject.yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, context.Background(), "run", file, "--iterations", "500", "--quiet", "--draws", "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	check := func(name, data string) {
		t.Helper()
		r := csv.NewReader(strings.NewReader(data))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		seen := false
		for _, rec := range recs {
			for _, c := range rec {
				if strings.Contains(c, "HYPERLINK") || strings.Contains(c, "SUM(1)") || strings.Contains(c, "calc") {
					seen = true
				}
				if c == "" || !strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					continue
				}
				if _, err := strconv.ParseFloat(c, 64); err != nil {
					t.Errorf("%s: a cell a spreadsheet would run: %q", name, c)
				}
			}
		}
		if !seen {
			t.Errorf("%s: none of the names reached it (the test checks nothing)", name)
		}
	}
	for _, name := range []string{"summary.csv", "draws.csv"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		check(name, string(b))
	}
	code, stdout, stderr := runCLI(t, context.Background(), "compare", file, "reference-r", "--iterations", "500", "--format", "csv")
	if code != 0 {
		t.Fatal(stderr)
	}
	check("compare csv", stdout)
}

// TestWorkersBounded (issue 19): --workers 4096 on a 3,000-input file ran
// out of memory (each worker holds a block of every input); workers are
// now at most one a core, so the run stays within the corpus limits. With
// 64 workers on 2 cores it allocated 3.6 GB before.
func TestWorkersBounded(t *testing.T) {
	base, err := os.ReadFile("testdata/bad/base.yaml.src")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("items:\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "  - {name: i%d, amount: %d to %d}\n", i, 1000+i, 3000+i)
	}
	text := strings.Replace(string(base), "items:\n  - {name: programme, amount: 5m, profile: [0.5, 0.5]}\n", b.String(), 1)
	file := filepath.Join(t.TempDir(), "wide.yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	workers := strconv.Itoa(8 * runtime.GOMAXPROCS(0))
	code, stderr := guarded(t, "run", file, "--iterations", "8192", "--workers", workers, "--quiet", "--format", "json")
	if code != 0 {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestMarkdownNoRawHTML (issue 19): a scenario or successor name holding
// HTML reaches summary.md (and --format markdown) as text, not markup.
func TestMarkdownNoRawHTML(t *testing.T) {
	base, err := os.ReadFile("testdata/bad/base.yaml.src")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer("name: corpus base", `name: "<script>alert(1)</script>"`,
		"{name: North, predecessors", `{name: "<img src=x onerror=alert(2)>", predecessors`).Replace(string(base))
	file := filepath.Join(t.TempDir(), "html.yaml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", file, "--iterations", "500", "--quiet"},
		{"compare", file, file, "--iterations", "500", "--quiet"},
		{"sensitivity", file, "--method", "tornado"},
	} {
		code, stdout, stderr := runCLI(t, context.Background(), append(args, "--format", "markdown")...)
		if code != 0 {
			t.Fatal(stderr)
		}
		if strings.Contains(stdout, "<script") || strings.Contains(stdout, "<img") || !strings.Contains(stdout, "&lt;script>") {
			t.Errorf("%s: raw HTML in the Markdown:\n%.2000s", args[0], stdout)
		}
	}
}

// TestAreaWriteKeepsFiles (issue 19): area --write never replaces an
// existing file (an edited scenario, or a read-only one); it was replaced
// silently.
func TestAreaWriteKeepsFiles(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []os.FileMode{0o644, 0o444} {
		p := filepath.Join(dir, fmt.Sprintf("k%o.yaml", mode))
		if err := os.WriteFile(p, []byte("name: my edits\n"), mode); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI(t, context.Background(), "area", "suffolk", "--write", p)
		if code != exitUsage || !strings.Contains(stderr, "exists") {
			t.Errorf("mode %o: exit %d %s", mode, code, stderr)
		}
		if b, _ := os.ReadFile(p); string(b) != "name: my edits\n" {
			t.Errorf("mode %o: the file was replaced", mode)
		}
	}
}

// TestValidateEscapesPath: validate's "ok" line names the file with its
// control characters escaped, as error messages do (issue 19, hostile: a
// file named with a newline and an escape sequence reached the terminal
// raw).
func TestValidateEscapesPath(t *testing.T) {
	base, err := os.ReadFile("testdata/base_valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "new\nline\x1b[31m.yaml")
	if err := os.WriteFile(p, base, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, context.Background(), "validate", p)
	if code != 0 || strings.ContainsAny(out, "\x1b") || strings.Count(out, "\n") != 1 || !strings.Contains(out, `new\nline\x1b[31m.yaml: ok`) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// TestConfigEscapesValues: devolve config prints a setting's value with
// its control characters escaped (a DEVOLVE_OUT holding an escape sequence
// reached the terminal raw).
func TestConfigEscapesValues(t *testing.T) {
	t.Setenv("DEVOLVE_OUT", "x\x1b[31my")
	code, out, stderr := runCLI(t, context.Background(), "config")
	if code != 0 || strings.Contains(out, "\x1b") || !strings.Contains(out, `x\x1b[31my`) {
		t.Errorf("exit %d, stderr %q, stdout:\n%q", code, stderr, out)
	}
}

// TestPanelProblemsNameTheFile: every problem of a panel file names the
// file, not only the first (issue 19, hostile: NaN and Inf values).
func TestPanelProblemsNameTheFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "panel.csv")
	if err := os.WriteFile(p, []byte("expert,quantity,percentile,value\ne1,q,10,NaN\ne1,q,50,2\ne1,q,90,Inf\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stderr := guarded(t, "calibrate", "--panel", p)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code != exitUsage || len(lines) != 2 {
		t.Fatalf("exit %d, stderr %q; want 2 and two problems", code, stderr)
	}
	for _, l := range lines {
		if !strings.Contains(l, p+": line ") {
			t.Errorf("%q does not name the file", l)
		}
	}
}
