package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/render/report"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvidenceCommand: a bad format and an argument are usage errors; the
// JSON has every successor and the data hash; the CSV has one row per
// measured effect; --out writes the set with a chart per successor.
func TestEvidenceCommand(t *testing.T) {
	t.Parallel() // with the README tests: no shared state, no timing or memory measured
	bg := context.Background()
	if code, _, stderr := runCLI(t, bg, "evidence", "--format", "xml"); code != exitUsage || !strings.Contains(stderr, "--format: must be") {
		t.Errorf("bad format: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, bg, "evidence", "extra"); code != exitUsage || !strings.Contains(stderr, "takes no arguments") {
		t.Errorf("argument: exit %d, stderr %q", code, stderr)
	}
	dir := filepath.Join(t.TempDir(), "ev")
	code, out, stderr := runCLI(t, bg, "evidence", "--format", "json", "--out", dir)
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, stderr)
	}
	var doc struct {
		Version    string `json:"version"`
		Summary    string `json:"summary"`
		DataSHA256 string `json:"data_sha256"`
		Successors []struct {
			Successor string `json:"successor"`
			Fits      []struct {
				Effects []json.RawMessage `json:"effects"`
			} `json:"fits"`
		} `json:"successors"`
		Waves []json.RawMessage `json:"waves"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != version || len(doc.DataSHA256) != 64 || len(doc.Successors) != 21 || len(doc.Waves) == 0 || !strings.HasPrefix(doc.Summary, "Measured from MHCLG outturn") {
		t.Errorf("json: version %q, hash %q, %d successors, %d wave rows, summary %q", doc.Version, doc.DataSHA256, len(doc.Successors), len(doc.Waves), doc.Summary)
	}
	effects := 0
	for _, s := range doc.Successors {
		for _, f := range s.Fits {
			effects += len(f.Effects)
		}
		for _, ext := range []string{".png", ".svg"} {
			name := filepath.Join(dir, "evidence-"+slugForTest(s.Successor)+ext)
			if st, err := os.Stat(name); err != nil || st.Size() == 0 {
				t.Errorf("chart %s: %v", name, err)
			}
		}
	}
	f, err := os.Open(filepath.Join(dir, "effects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != effects {
		t.Errorf("effects.csv: %d rows, JSON %d effects", len(rows)-1, effects)
	}
	for _, name := range []string{"evidence.json", "waves.csv", "evidence.md"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func slugForTest(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if b.Len() > 0 && !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// TestEvidenceDocTable: the pooled results quoted in docs/EVIDENCE.md are
// the ones `devolve evidence` measures (regenerate the block between the
// evidence-headline markers from report.EvidenceHeadlineMarkdown).
func TestEvidenceDocTable(t *testing.T) {
	t.Parallel() // with the README tests: no shared state, no timing or memory measured
	b, err := os.ReadFile("../../docs/EVIDENCE.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	_, rest, ok := strings.Cut(doc, "<!-- evidence-headline")
	if !ok {
		t.Fatal("docs/EVIDENCE.md: no evidence-headline block")
	}
	_, rest, _ = strings.Cut(rest, "-->\n")
	block, _, ok := strings.Cut(rest, "<!-- /evidence-headline -->")
	if !ok {
		t.Fatal("docs/EVIDENCE.md: evidence-headline block not closed")
	}
	ev, err := calibration.DefaultEvidence()
	if err != nil {
		t.Fatal(err)
	}
	if want := report.EvidenceHeadlineMarkdown(ev); strings.TrimSpace(block) != strings.TrimSpace(want) {
		t.Errorf("docs/EVIDENCE.md results differ from devolve evidence; want:\n%s", want)
	}
}
