package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"
)

// definedValue reads the number a workbook name refers to.
func definedValue(t *testing.T, f *excelize.File, name string) float64 {
	t.Helper()
	for _, d := range f.GetDefinedName() {
		if d.Name != name {
			continue
		}
		sheet, ref := "", ""
		for i := len(d.RefersTo) - 1; i >= 0; i-- {
			if d.RefersTo[i] == '!' {
				sheet, ref = d.RefersTo[:i], d.RefersTo[i+1:]
				break
			}
		}
		sheet = sheet[1 : len(sheet)-1]
		raw, err := f.GetCellValue(sheet, string(bytes.ReplaceAll([]byte(ref), []byte("$"), nil)), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			t.Fatalf("%s holds %q", name, raw)
		}
		return v
	}
	t.Fatalf("name %s not defined", name)
	return 0
}

// TestOutDataFiles: --out writes results.xlsx, and with --draws
// draws.parquet, agreeing with summary.json.
func TestOutDataFiles(t *testing.T) {
	t.Parallel() // with the README tests: no shared state, no timing or memory measured
	dir := t.TempDir()
	const n = 3000
	code, _, stderr := runCLI(t, context.Background(), "run", "suffolk", "--iterations", strconv.Itoa(n), "--seed", "5",
		"--out", dir, "--draws", "--format", "json")
	if code != exitOK {
		t.Fatal(stderr)
	}
	var sum struct {
		Seed    uint64
		Summary struct {
			NPV struct {
				Mean float64 `json:"mean"`
				P50  float64 `json:"p50"`
			} `json:"npv"`
			PNPVPositive float64 `json:"p_npv_positive"`
		} `json:"summary"`
	}
	js, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &sum); err != nil {
		t.Fatal(err)
	}

	t.Run("results.xlsx", func(t *testing.T) {
		f, err := excelize.OpenFile(filepath.Join(dir, "results.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for name, want := range map[string]float64{"NPV_Mean": sum.Summary.NPV.Mean, "NPV_P50": sum.Summary.NPV.P50,
			"P_NPV_positive": sum.Summary.PNPVPositive, "Seed": 5, "Iterations": n} {
			if got := definedValue(t, f, name); math.Abs(got-want) > 1e-14*math.Abs(want) {
				t.Errorf("%s: workbook %v, summary.json %v", name, got, want)
			}
		}
		if rows, _ := f.GetRows("Draws"); len(rows) != n+1 {
			t.Errorf("Draws sheet has %d rows, want %d", len(rows), n+1)
		}
	})

	t.Run("draws.parquet", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, "draws.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		if pf.NumRows() != n {
			t.Errorf("%d rows, want %d", pf.NumRows(), n)
		}
		if v, _ := pf.Lookup("seed"); v != "5" {
			t.Errorf("seed metadata %q", v)
		}
		if v, _ := pf.Lookup("iterations"); v != strconv.Itoa(n) {
			t.Errorf("iterations metadata %q", v)
		}
		// The mean of the npv column, summed plainly here, is the summary's mean.
		rows := make([]parquet.Row, n)
		r := parquet.NewReader(bytes.NewReader(data))
		k, _ := r.ReadRows(rows)
		r.Close()
		if k != n {
			t.Fatalf("read %d rows", k)
		}
		s := 0.0
		for _, row := range rows {
			s += row[1].Double()
		}
		if mean := s / n; math.Abs(mean-sum.Summary.NPV.Mean) > 1e-9*math.Abs(mean) {
			t.Errorf("parquet npv mean %v, summary.json %v", mean, sum.Summary.NPV.Mean)
		}
	})
}

func TestFormatXLSX(t *testing.T) {
	ctx := context.Background()
	for _, args := range [][]string{
		{"run", "reference-r", "--iterations", "2000", "--format", "xlsx"},
		{"run", "suffolk", "--deterministic", "--format", "xlsx"},
		{"compare", "suffolk", "suffolk-two", "--iterations", "2000", "--format", "xlsx"},
	} {
		t.Run(args[0]+" "+args[len(args)-3], func(t *testing.T) {
			code, out, stderr := runCLI(t, ctx, args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			f, err := excelize.OpenReader(bytes.NewReader([]byte(out)))
			if err != nil {
				t.Fatalf("stdout is not a workbook: %v", err)
			}
			defer f.Close()
			if f.GetSheetName(0) != "Summary" {
				t.Errorf("first sheet %q", f.GetSheetName(0))
			}
		})
	}
}

func TestFormatSIPmath(t *testing.T) {
	t.Parallel() // with the README tests: no shared state, no timing or memory measured
	ctx := context.Background()
	code, out, stderr := runCLI(t, ctx, "run", "suffolk", "--iterations", "3000", "--seed", "4", "--format", "sipmath")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var lib struct {
		LibraryType string `json:"libraryType"`
		Provenance  string `json:"provenance"`
		SIPs        []struct {
			Name     string `json:"name"`
			Metadata struct {
				Count int     `json:"count"`
				Mean  float64 `json:"mean"`
			} `json:"metadata"`
		} `json:"sips"`
	}
	if err := json.Unmarshal([]byte(out), &lib); err != nil {
		t.Fatal(err)
	}
	if lib.LibraryType != "SIPmath_3_0" || len(lib.SIPs) != 5 || lib.SIPs[0].Name != "npv" || lib.SIPs[0].Metadata.Count != 3000 {
		t.Errorf("library %+v", lib)
	}
	// The library's npv mean is the run's.
	_, js, _ := runCLI(t, ctx, "run", "suffolk", "--iterations", "3000", "--seed", "4", "--format", "json")
	var sum struct {
		Summary struct {
			NPV struct {
				Mean float64 `json:"mean"`
			} `json:"npv"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(js), &sum); err != nil {
		t.Fatal(err)
	}
	if got, want := lib.SIPs[0].Metadata.Mean, sum.Summary.NPV.Mean; math.Abs(got-want) > 1e-9*math.Abs(want) {
		t.Errorf("sips.json npv mean %v, run %v", got, want)
	}

	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"run", "--deterministic", "--format", "sipmath"}, "needs a Monte Carlo run"},
		{[]string{"run", "--iterations", "50", "--format", "sipmath"}, "at least 100 iterations"},
		{[]string{"compare", "suffolk", "suffolk-two", "--format", "pdf"}, "--format: must be one of"},
	} {
		if code, _, stderr := runCLI(t, ctx, c.args...); code != exitUsage || !strings.Contains(stderr, c.err) {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, stderr)
		}
	}
	// --out writes sips.json for a Monte Carlo run, not for a deterministic one.
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, ctx, "run", "suffolk", "--iterations", "2000", "--out", dir); code != exitOK {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "sips.json")); err != nil {
		t.Error(err)
	}
	dir2 := t.TempDir()
	if code, _, stderr := runCLI(t, ctx, "run", "suffolk", "--deterministic", "--out", dir2); code != exitOK {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(dir2, "sips.json")); err == nil {
		t.Error("sips.json written for a deterministic run")
	}
	if _, err := os.Stat(filepath.Join(dir2, "results.xlsx")); err != nil {
		t.Error(err)
	}
}

// TestCompareSIPmath: compare writes one library holding every option's
// outputs, coupled, with --format sipmath and as sips.json under --out.
func TestCompareSIPmath(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	code, out, stderr := runCLI(t, ctx, "compare", "suffolk", "suffolk-two", "--iterations", "2000", "--format", "sipmath", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var lib struct {
		Name string `json:"name"`
		SIPs []struct {
			Name string `json:"name"`
		} `json:"sips"`
		GlobalVariables []struct {
			Value struct {
				Matrix []struct {
					Row, Col string
					Value    float64
				} `json:"matrix"`
			} `json:"value"`
		} `json:"globalVariables"`
	}
	if err := json.Unmarshal([]byte(out), &lib); err != nil {
		t.Fatal(err)
	}
	if len(lib.SIPs) != 10 || !strings.HasSuffix(lib.SIPs[0].Name, ": npv") || !strings.HasSuffix(lib.SIPs[5].Name, ": npv") {
		t.Fatalf("sips %v", lib.SIPs)
	}
	if n := len(lib.GlobalVariables[0].Value.Matrix); n != 10*11/2 {
		t.Errorf("%d correlations, want 55", n)
	}
	// Common random numbers: the two options' NPVs are strongly correlated.
	found := false
	for _, e := range lib.GlobalVariables[0].Value.Matrix {
		if e.Row == lib.SIPs[5].Name && e.Col == lib.SIPs[0].Name {
			found = true
			if e.Value < 0.5 {
				t.Errorf("corr of the options' NPVs %v: common random numbers should couple them", e.Value)
			}
			t.Logf("normal-score correlation of the two options' NPVs: %.3f", e.Value)
		}
	}
	if !found {
		t.Error("no correlation between the two options' NPVs")
	}
	if _, err := os.Stat(filepath.Join(dir, "sips.json")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "results.xlsx")); err != nil {
		t.Error(err)
	}
}
