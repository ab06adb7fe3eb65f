package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/render/words"
	"github.com/devolve-lgr/devolve/scenarios"
)

// runNPV runs devolve with args plus --format json and returns NPV's P5,
// P50, P95 and P(NPV > 0) as run reports them.
func runNPV(t *testing.T, args ...string) (q [3]float64, pPositive float64) {
	t.Helper()
	code, out, stderr := runCLI(t, context.Background(), append(args, "--format", "json")...)
	if code != exitOK {
		t.Fatalf("devolve %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	var rep struct {
		Summary struct {
			NPV struct {
				P5, P50, P95 float64
			} `json:"npv"`
			PNPVPositive float64 `json:"p_npv_positive"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	s := rep.Summary
	return [3]float64{s.NPV.P5, s.NPV.P50, s.NPV.P95}, s.PNPVPositive
}

// TestSameSeedSameFigures: devolve run, devolve report and the what-if page
// of devolve serve, each with its own defaults, give one scenario and seed
// the same NPV (issue 17 item 5); and the command line the page prints,
// run as printed, reproduces the page's figures exactly, with an input
// fixed and without.
func TestSameSeedSameFigures(t *testing.T) {
	const trials, seed = "4000", "11"
	q, pPos := runNPV(t, "run", "suffolk", "--iterations", trials, "--seed", seed)

	html := filepath.Join(t.TempDir(), "report.html")
	if code, _, stderr := runCLI(t, context.Background(), "report", "suffolk", "--iterations", trials, "--seed", seed, "--out", html); code != exitOK {
		t.Fatalf("devolve report: exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("(median %s; 90%% of simulations between %s and %s)", report.Money(q[1]), report.Money(q[0]), report.Money(q[2])); !strings.Contains(string(page), want) {
		t.Errorf("the report does not say %q, as devolve run measured", want)
	}

	base := startServe(t, "serve", "suffolk", "--trials", trials, "--seed", seed)
	ld, _ := scenarios.Load("suffolk")
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	in := c.Model.Inputs[0]
	for _, fix := range []string{"", fmt.Sprintf("%s=%g", in.Name, in.Dist.Quantile(0.3))} {
		u := base + "api/run"
		if fix != "" {
			u += "?fix=" + url.QueryEscape(fix)
		}
		var got struct {
			NPV          [3]float64 `json:"npv_p5_p50_p95"`
			PNPVPositive float64    `json:"p_npv_positive"`
			Command      string     `json:"command"`
		}
		getJSON(t, u, &got)
		if fix == "" && (got.NPV != q || got.PNPVPositive != pPos) {
			t.Errorf("the page shows NPV %v, P(NPV>0) %v; devolve run %v, %v", got.NPV, got.PNPVPositive, q, pPos)
		}
		args := strings.Fields(got.Command)
		if len(args) < 2 || args[0] != "devolve" {
			t.Fatalf("the page's command %q", got.Command)
		}
		if fix != "" && !strings.Contains(got.Command, "--fix "+in.Name+"=") {
			t.Errorf("the page's command %q does not fix %s", got.Command, in.Name)
		}
		cq, cp := runNPV(t, args[1:]...)
		if cq != got.NPV || cp != got.PNPVPositive {
			t.Errorf("%s gives NPV %v, P(NPV>0) %v; the page shows %v, %v", got.Command, cq, cp, got.NPV, got.PNPVPositive)
		}
	}
}

// startServe starts devolve with args (a serve command) on a free port
// until the test ends, and returns its address.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append(args, "--addr", "127.0.0.1:0"), &stdout, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK && code != exitInterrupted { // stopped by cancelling its context
			t.Errorf("devolve serve: exit %d: %s", code, stderr.String())
		}
	})
	addr := regexp.MustCompile(`http://[0-9.:]+/`)
	var base string
	for deadline := time.Now().Add(time.Minute); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		base = addr.FindString(stdout.String())
	}
	if base == "" {
		t.Fatalf("devolve serve did not start: %s", stderr.String())
	}
	return base
}

// getJSON decodes the JSON answer to a GET of u into v.
func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestTwoOptionPageCommand: the what-if page of two options prints a
// devolve compare command which, run as printed, gives both options' NPV
// percentiles and chances of a positive NPV, and how often the second
// beats the first, exactly as the page shows them, with an input fixed
// (in both options) and without.
func TestTwoOptionPageCommand(t *testing.T) {
	const trials, seed = "3000", "5"
	base := startServe(t, "serve", "suffolk", "suffolk-two", "--trials", trials, "--seed", seed)
	ld, _ := scenarios.Load("suffolk")
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	in := c.Model.Inputs[0]
	// An input only the second option has: fixed there alone, named in
	// its unit's words.
	ldB, _ := scenarios.Load("suffolk-two")
	cB, err := ldB.Compile()
	if err != nil {
		t.Fatal(err)
	}
	var onlyB engine.Input
	var unitB lgr.Unit
	for j, x := range cB.Model.Inputs {
		if _, ok := c.Input(x.Name); !ok && cB.Inputs[j].Unit == lgr.PoundsPerYear {
			onlyB, unitB = x, cB.Inputs[j].Unit
			break
		}
	}
	if onlyB.Name == "" {
		t.Fatal("suffolk-two has no input in £ a year that suffolk lacks")
	}
	type option struct {
		NPV          [3]float64 `json:"npv_p5_p50_p95"`
		PNPVPositive float64    `json:"p_npv_positive"`
	}
	for _, fix := range []string{"", fmt.Sprintf("%s=%g", in.Name, in.Dist.Quantile(0.7)), fmt.Sprintf("%s=%g", onlyB.Name, onlyB.Dist.Quantile(0.2))} {
		u := base + "api/run"
		if fix != "" {
			u += "?fix=" + url.QueryEscape(fix)
		}
		var page struct {
			option
			Command   string            `json:"command"`
			FixedText map[string]string `json:"fixed_text"`
			B         *struct {
				option
				PBetter float64 `json:"p_b_better"`
			} `json:"b"`
		}
		getJSON(t, u, &page)
		if page.B == nil {
			t.Fatal("the page has no second option")
		}
		args := strings.Fields(page.Command)
		if len(args) < 4 || args[0] != "devolve" || args[1] != "compare" {
			t.Fatalf("the page's command %q is not a devolve compare", page.Command)
		}
		if name, _, _ := strings.Cut(fix, "="); fix != "" && !strings.Contains(page.Command, "--fix "+name+"=") {
			t.Errorf("the page's command %q does not fix %s", page.Command, name)
		}
		if v := onlyB.Dist.Quantile(0.2); strings.HasPrefix(fix, onlyB.Name+"=") && page.FixedText[onlyB.Name] != words.Value(v, unitB) {
			t.Errorf("the page names %s=%g %q, want %q", onlyB.Name, v, page.FixedText[onlyB.Name], words.Value(v, unitB))
		}
		code, out, stderr := runCLI(t, context.Background(), append(args[1:], "--format", "json")...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", page.Command, code, stderr)
		}
		var rep struct {
			Options []struct {
				NPV struct {
					P5, P50, P95 float64
				} `json:"npv"`
				PNPVPositive float64 `json:"p_npv_positive"`
			} `json:"options"`
			Pairs []struct {
				PBBetter float64 `json:"p_b_better"`
			} `json:"pairs"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Options) != 2 || len(rep.Pairs) != 1 {
			t.Fatalf("%s: %d options, %d pairs", page.Command, len(rep.Options), len(rep.Pairs))
		}
		for i, o := range []option{page.option, page.B.option} {
			r := rep.Options[i]
			if q := [3]float64{r.NPV.P5, r.NPV.P50, r.NPV.P95}; q != o.NPV || r.PNPVPositive != o.PNPVPositive {
				t.Errorf("fix %q, option %d: %s gives NPV %v, P(NPV>0) %v; the page shows %v, %v", fix, i+1, page.Command, q, r.PNPVPositive, o.NPV, o.PNPVPositive)
			}
		}
		if rep.Pairs[0].PBBetter != page.B.PBetter {
			t.Errorf("fix %q: %s gives P(B better) %v; the page shows %v", fix, page.Command, rep.Pairs[0].PBBetter, page.B.PBetter)
		}
	}
}
