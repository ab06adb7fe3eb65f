package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Limits on one invocation of the CLI on a bad input: it must answer (exit
// 2 with a message) within caseTime, allocating no more than caseAlloc.
const (
	caseTime  = 20 * time.Second
	caseAlloc = 512 << 20
)

// guarded runs the CLI in-process under the corpus limits: a panic, a
// timeout or too much allocation is a test failure, not a crash.
func guarded(t *testing.T, args ...string) (code int, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), caseTime)
	defer cancel()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	type result struct {
		code   int
		stderr string
		panic  any
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		var r result
		defer func() {
			r.panic = recover()
			done <- r
		}()
		var out, errb strings.Builder
		r.code = run(ctx, args, &out, &errb)
		r.stderr = errb.String()
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(caseTime + 5*time.Second):
		t.Fatalf("%q: no answer after %v (a hang)", args, time.Since(start))
	}
	runtime.ReadMemStats(&after)
	if r.panic != nil {
		t.Fatalf("%q: panic: %v", args, r.panic)
	}
	if el := time.Since(start); el > caseTime {
		t.Errorf("%q: took %v (limit %v)", args, el, caseTime)
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > caseAlloc {
		t.Errorf("%q: allocated %d MiB (limit %d MiB)", args, a>>20, caseAlloc>>20)
	}
	return r.code, r.stderr
}

// corpusCase is one bad input, the exit status wanted and a substring its
// message must contain.
type corpusCase struct {
	file string
	code int
	want string
}

// readCorpus reads testdata/bad/WANT.tsv (written by testdata/bad/gen.py).
func readCorpus(t *testing.T) []corpusCase {
	t.Helper()
	f, err := os.Open("testdata/bad/WANT.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cs []corpusCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 {
			t.Fatalf("WANT.tsv: bad line %q (want file, exit status, words)", line)
		}
		code, err := strconv.Atoi(f[1])
		if err != nil {
			t.Fatalf("WANT.tsv: bad exit status in %q", line)
		}
		cs = append(cs, corpusCase{filepath.Join("testdata", "bad", f[0]), code, f[2]})
	}
	return cs
}

// maxMessage is the longest error message a bad input may give: messages
// list a bounded number of inputs, pairs and problems, never a whole file.
const maxMessage = 16 << 10

// checkBad runs validate and run on one bad input: each must exit 2, name
// the file, and carry the wanted key path or problem in its message.
func checkBad(t *testing.T, file, want string) {
	t.Helper()
	checkBadCode(t, file, exitUsage, want)
}

// checkBadCode is checkBad with another exit status wanted.
func checkBadCode(t *testing.T, file string, wantCode int, want string) {
	t.Helper()
	for _, args := range [][]string{
		{"validate", file},
		{"run", file, "--iterations", "200", "--quiet", "--format", "json"},
	} {
		code, stderr := guarded(t, args...)
		if code != wantCode {
			t.Errorf("devolve %s: exit %d, want %d; stderr: %s", strings.Join(args, " "), code, wantCode, stderr)
		}
		if len(stderr) > maxMessage {
			t.Errorf("devolve %s: a message of %d bytes (at most %d wanted): %.2000s...", args[0], len(stderr), maxMessage, stderr)
		}
		if !strings.Contains(stderr, want) {
			t.Errorf("devolve %s: message does not contain %q:\n%s", args[0], want, stderr)
		}
		if !strings.Contains(stderr, file) {
			t.Errorf("devolve %s: message does not name the file %s:\n%s", args[0], file, stderr)
		}
	}
}

// TestBadInputCorpus: every file of testdata/bad (at least 150, one
// failure class each: syntax, keys, types, distributions, domain checks,
// non-finite results, extends) is rejected with exit status 2 and a
// message naming the file and the key path the user wrote, without a
// panic, within the time and memory limits.
func TestBadInputCorpus(t *testing.T) {
	cs := readCorpus(t)
	if len(cs) < 150 {
		t.Fatalf("the corpus holds %d cases; at least 150 are wanted", len(cs))
	}
	for _, c := range cs {
		t.Run(filepath.Base(c.file), func(t *testing.T) { checkBadCode(t, c.file, c.code, c.want) })
	}
}

// TestBadInputGenerated: inputs too large to keep in testdata, written
// here: 2 million nested lists in each format (a stack overflow in the
// TOML parser), a file over the size limit, a file of NUL bytes, and
// correlations over 20,000 and 2,000 items (issue 19: out of memory, and
// 11 s to validate a consistent group).
func TestBadInputGenerated(t *testing.T) {
	dir := t.TempDir()
	deep := strings.Repeat("[", 2_000_000) + strings.Repeat("]", 2_000_000)
	base, err := os.ReadFile("testdata/bad/base.yaml.src")
	if err != nil {
		t.Fatal(err)
	}
	manyItems := func(n int) string {
		var b strings.Builder
		b.WriteString("items:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {name: i%d, amount: 1m to 2m}\n", i)
		}
		return strings.Replace(string(base), "items:\n  - {name: programme, amount: 5m, profile: [0.5, 0.5]}\n", b.String(), 1)
	}
	group := "correlations:\n  - group: [items.*.amount]\n    rank: 0.3\n"
	files := map[string]string{
		"corr_20000.yaml": manyItems(20_000) + group,
		"corr_2000.yaml":  manyItems(2_000) + group,
		"deep.toml":       "name = " + deep + "\n",
		"deep.yaml":       "name: " + deep + "\n",
		"deep.json":       `{"name": ` + deep + "}",
		"huge.yaml":       "name: x\n" + strings.Repeat("# padding\n", 1_200_000),
		"zeros.yaml":      strings.Repeat("\x00", 4096),
	}
	want := map[string]string{"deep.toml": "nest", "deep.yaml": "depth", "deep.json": "nest", "huge.yaml": "limit", "zeros.yaml": "syntax error",
		"corr_20000.yaml": "correlations[0]: links 20000 inputs", "corr_2000.yaml": "at most 256"}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) { checkBad(t, p, want[name]) })
	}
}

// TestBadFlags: every flag of every command is checked, and each problem is
// exit 2 with a message naming the flag.
func TestBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"areas", "extra"}, "takes no arguments"},
		{[]string{"list", "extra"}, "takes no arguments"},
		{[]string{"version", "extra"}, "takes no arguments"},
		{[]string{"backtest", "extra"}, "takes no arguments"},
		{[]string{"national", "extra"}, "takes no arguments"},
		{[]string{"run", "a", "b"}, "argument"},
		{[]string{"sensitivity", "a", "b"}, "argument"},
		{[]string{"compare", "suffolk"}, "argument"},
		{[]string{"area"}, "argument"},
		{[]string{"validate"}, "argument"},
		{[]string{"run", "--workers", "-1"}, "--workers"},
		{[]string{"compare", "suffolk", "suffolk-two", "--workers", "-1"}, "--workers"},
		{[]string{"national", "--workers", "-1"}, "--workers"},
		{[]string{"sensitivity", "--workers", "-1"}, "--workers"},
		{[]string{"run", "--iterations", "0"}, "--iterations"},
		{[]string{"run", "--iterations", "-5"}, "--iterations"},
		{[]string{"national", "--iterations", "0"}, "--iterations"},
		{[]string{"compare", "suffolk", "suffolk-two", "--iterations", "0"}, "--iterations"},
		{[]string{"run", "--iterations", "40000000", "--draws", "--out", "/tmp/never-written"}, "GB of memory"},
		{[]string{"compare", "suffolk", "suffolk-two", "--switch-trials", "0"}, "--switch-trials"},
		{[]string{"sensitivity", "--switch-trials", "0"}, "--switch-trials"},
		{[]string{"sensitivity", "--rank-trials", "-1"}, "--rank-trials"},
		{[]string{"sensitivity", "--n", "8"}, "--n"},
		{[]string{"sensitivity", "--method", "magic"}, "--method"},
		{[]string{"sensitivity", "--output", "happiness"}, "--output"},
		{[]string{"compare", "suffolk", "suffolk-two", "--groups", "astrology"}, "--groups"},
		{[]string{"calibrate", "--list", "--bootstrap", "0"}, "--bootstrap"},
		{[]string{"calibrate", "--quantiles", "10:1,50:2,90:5", "--lower", "-Inf"}, "--lower"},
		{[]string{"calibrate", "--quantiles", "10:1,50:2,90:5", "--upper", "NaN"}, "--upper"},
		{[]string{"calibrate", "--list", "--update", "savings"}, "give one of"},
		{[]string{"calibrate"}, "give FILE.csv"},
		{[]string{"calibrate", "--column", "x"}, "both FILE.csv and --column"},
		{[]string{"calibrate", "--list", "--format", "xml"}, "--format"},
		{[]string{"calibrate", "/dev/zero", "--column", "x"}, "not a regular file"},
		{[]string{"area", "suffolk", "--unitaries", "2", "--group", "A=Ipswich"}, "--unitaries or --group"},
		{[]string{"area", "suffolk", "--unitaries", "9"}, "--unitaries"},
		{[]string{"area", "suffolk", "--add", "Southend-on-Sea", "--add", "southend-on-sea"}, "--add"},
		{[]string{"area", "suffolk", "--group", "A=Ipswich", "--group", "a=Babergh"}, "--group"},
		{[]string{"area", "suffolk", "--write", "/dev/null"}, "--write"},
		{[]string{"area", "suffolk", "--write", "/tmp/never-written-by-devolve.json"}, "--write"},
		{[]string{"area", "suffolk", "--write", "/tmp/never-written-by-devolve.toml"}, "--write"},
		{[]string{"area", "suffolk", "--write", "/tmp/never-written-by-devolve"}, "--write"},
		{[]string{"area", "nowhere-shire"}, "nowhere-shire"},
		{[]string{"national", "--unitaries", "9"}, "--unitaries"},
		{[]string{"national", "--area", "Kent=2", "--area", "kent=3"}, "--area"},
		{[]string{"national", "--min-residents", "-1"}, "--min-residents"},
		{[]string{"run", "--format", "xml"}, "--format"},
		{[]string{"areas", "--format", "xml"}, "--format"},
		{[]string{"backtest", "--format", "xml"}, "--format"},
		{[]string{"national", "--format", "xml"}, "--format"},
		{[]string{"run", "--draws"}, "--draws"},
		{[]string{"run", "--out", "  "}, "--out"},
		{[]string{"run", "--out", "/"}, "--out"},
		{[]string{"run", "--nonsense"}, ""},
		{[]string{"run", "/dev/zero"}, "not a regular file"},
		{[]string{"run", "--fix", "it_overrun=-2"}, "outside the input's range [0, +Inf]"},
		{[]string{"run", "--fix", "other_overrun=1e308"}, "other_overrun"},
		{[]string{"run", "/dev/urandom"}, "not a regular file"},
		{[]string{"run", "testdata"}, "is a directory"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stderr := guarded(t, c.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want 2; stderr: %s", code, stderr)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr does not contain %q:\n%s", c.want, stderr)
			}
		})
	}
}

// TestOutRefusesForeignDirectory: --out replaces only an empty directory
// or one devolve wrote (it swaps the whole set in), never a directory of
// other files.
func TestOutRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stderr := guarded(t, "run", "reference-r", "--iterations", "500", "--quiet", "--out", dir)
	if code != exitUsage || !strings.Contains(stderr, "did not write") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "thesis.tex")); err != nil || string(b) != "mine" {
		t.Errorf("the user's file was touched: %v", err)
	}
}

// TestOutConcurrent: two runs with different seeds into one --out
// directory leave one run's whole set (every file from the same seed).
func TestOutConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	errs := make(chan string, 2)
	for _, seed := range []string{"1", "2"} {
		go func() {
			var out, errb strings.Builder
			if code := run(context.Background(), []string{"run", "reference-r", "--iterations", "3000", "--seed", seed, "--quiet", "--out", dir}, &out, &errb); code != 0 {
				errs <- fmt.Sprintf("seed %s: exit %d: %s", seed, code, errb.String())
				return
			}
			errs <- ""
		}()
	}
	for i := 0; i < 2; i++ {
		if e := <-errs; e != "" {
			t.Fatal(e)
		}
	}
	js, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	seedJSON := strings.Contains(string(js), `"seed": 2`)
	seedMD := strings.Contains(string(md), "seed 2")
	if seedJSON != seedMD {
		t.Errorf("summary.json (seed 2: %v) and summary.md (seed 2: %v) come from different runs", seedJSON, seedMD)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("beside the out directory: %v (temporary directories left behind)", names)
	}
}
