package main

// The plain-words scan (issue 17): what a person reads (the HTML report,
// the what-if page, the workbook and the charts) holds no internal key name
// and no number in exponent notation.

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/htmlreport"
	"github.com/devolve-lgr/devolve/render/serve"
	"github.com/devolve-lgr/devolve/scenarios"
)

var (
	exponent  = regexp.MustCompile(`\d(\.\d+)?[eE][+-]\d\d`)
	scripts   = regexp.MustCompile(`(?s)<(script|style)\b.*?</(script|style)>`)
	tags      = regexp.MustCompile(`(?s)<[^>]*>`)
	entityAmp = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'", "&quot;", `"`, "&#34;", `"`)
)

// visibleText is the text a reader sees in an HTML page or an SVG: tags,
// attributes, scripts and styles removed.
func visibleText(html string) string {
	return entityAmp.Replace(tags.ReplaceAllString(scripts.ReplaceAllString(html, " "), " "))
}

// internalNames are the model's input and line names of the scenarios:
// identifiers for machines (draws.csv, JSON), never for people. A name that
// is also a key path the user writes (it_overrun, democracy.allowance) is
// the user's own word and may appear beside a label.
func internalNames(t *testing.T, names ...string) []string {
	t.Helper()
	var out []string
	paths := map[string]bool{}
	for _, n := range names {
		ld, err := scenarios.Load(n)
		if err != nil {
			t.Fatal(err)
		}
		c, err := lgr.Compile(ld.Scenario)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range c.Inputs {
			paths[in.Path] = true
		}
		for _, in := range c.Model.Inputs {
			if strings.Contains(in.Name, ".") || strings.Contains(in.Name, "_") {
				out = append(out, in.Name)
			}
			// The keys that group inputs (sensitivity and switching
			// tables: systems.finance, items.relocation) are internal too.
			for _, mode := range lgr.GroupModes {
				if g, err := lgr.GroupKey(mode, in.Name); err == nil && (strings.Contains(g, ".") || strings.Contains(g, "_")) && !slices.Contains(out, g) {
					out = append(out, g)
				}
			}
		}
		for _, l := range c.Lines {
			out = append(out, l.Name)
		}
	}
	return slices.DeleteFunc(out, func(n string) bool { return paths[n] })
}

// scan reports every internal name and exponent in text, named by where.
func scan(t *testing.T, where, text string, names []string) {
	t.Helper()
	if m := exponent.FindAllString(text, 3); len(m) > 0 {
		i := exponent.FindStringIndex(text)
		t.Errorf("%s: number in exponent notation %q in %q", where, m, text[max(0, i[0]-60):min(len(text), i[1]+20)])
	}
	bad := 0
	for _, n := range names {
		if i := strings.Index(text, n); i >= 0 {
			if bad < 5 {
				t.Errorf("%s: internal name %q in %q", where, n, text[max(0, i-40):min(len(text), i+len(n)+20)])
			}
			bad++
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d internal names in all", where, bad)
	}
}

func TestPlainWords(t *testing.T) {
	t.Parallel() // with the README tests: no shared state, no timing or memory measured
	names := internalNames(t, "suffolk", "suffolk-two")
	dir := t.TempDir()

	t.Run("report", func(t *testing.T) {
		b, err := os.ReadFile(sharedReport(t))
		if err != nil {
			t.Fatal(err)
		}
		scan(t, "report.html", visibleText(string(b)), names)
	})

	t.Run("page", func(t *testing.T) {
		var scs []htmlreport.Scenario
		for _, n := range []string{"suffolk", "suffolk-two"} {
			scs = append(scs, pageScenario(t, n))
		}
		// One option, then two side by side.
		for _, other := range []*htmlreport.Scenario{nil, &scs[1]} {
			srv, err := serve.New(scs[0], serve.Options{Run: engine.Options{Seed: 1, Iterations: 2048, Sampling: engine.DefaultSampling},
				Version: version, Command: "devolve run suffolk", Compare: other})
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/", nil))
			if rec.Code != 200 {
				t.Fatalf("GET /: %d %s", rec.Code, rec.Body)
			}
			page := rec.Body.String()
			if other != nil && !strings.Contains(page, `id="fanB"`) {
				t.Fatal("the two-option page has no second fan")
			}
			// The printed command names inputs as --fix takes them: a command
			// line, not prose.
			page = regexp.MustCompile(`(?s)<code id="command">.*?</code>`).ReplaceAllString(page, "")
			scan(t, "what-if page", visibleText(page), names)
		}
	})

	t.Run("workbook and charts", func(t *testing.T) {
		out := filepath.Join(dir, "run")
		if code, _, stderr := runCLI(t, context.Background(), "run", "suffolk", "--iterations", "2048", "--out", out, "--quiet"); code != exitOK {
			t.Fatalf("devolve run: exit %d: %s", code, stderr)
		}
		scanWorkbook(t, filepath.Join(out, "results.xlsx"), names)
		// compare's workbook holds the switching values and the years by
		// line too.
		cmp := filepath.Join(dir, "compare")
		if code, _, stderr := runCLI(t, context.Background(), "compare", "suffolk", "suffolk-two", "--iterations", "2048", "--lines",
			"--switching", "--switch-trials", "200", "--out", cmp); code != exitOK {
			t.Fatalf("devolve compare: exit %d: %s", code, stderr)
		}
		scanWorkbook(t, filepath.Join(cmp, "results.xlsx"), names)
		br := filepath.Join(dir, "bridge")
		if code, _, stderr := runCLI(t, context.Background(), "bridge", "suffolk-2025", "--iterations", "2000", "--out", br); code != exitOK {
			t.Fatalf("devolve bridge: exit %d: %s", code, stderr)
		}
		sens := filepath.Join(dir, "sensitivity")
		if code, _, stderr := runCLI(t, context.Background(), "sensitivity", "suffolk", "--method", "tornado,sobol", "--n", "256", "--out", sens); code != exitOK {
			t.Fatalf("devolve sensitivity: exit %d: %s", code, stderr)
		}
		nat := filepath.Join(dir, "national")
		if code, _, stderr := runCLI(t, context.Background(), "national", "--iterations", "500", "--out", nat); code != exitOK {
			t.Fatalf("devolve national: exit %d: %s", code, stderr)
		}
		svgs, _ := filepath.Glob(filepath.Join(out, "*.svg"))
		for _, d := range []string{cmp, br, sens, nat} {
			more, _ := filepath.Glob(filepath.Join(d, "*.svg"))
			svgs = append(svgs, more...)
		}
		if len(svgs) == 0 {
			t.Fatal("no charts written")
		}
		for _, p := range svgs {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			scan(t, filepath.Base(p), visibleText(string(b)), names)
		}
	})
}

// scanWorkbook scans every sheet of a workbook but the draws (one column
// per input, for machines) and the "Name in ..." columns (the link to
// draws.csv and the JSON: internal by design).
func scanWorkbook(t *testing.T, path string, names []string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sh := range f.GetSheetList() {
		if sh == "Draws" {
			continue
		}
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for r, row := range rows {
			for c, v := range row {
				if c < len(rows[0]) && strings.HasPrefix(rows[0][c], "Name in") && r > 0 {
					continue
				}
				text.WriteString(v + " | ")
			}
		}
		scan(t, filepath.Base(filepath.Dir(path))+"/results.xlsx "+sh, text.String(), names)
	}
}
