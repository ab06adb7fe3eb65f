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
	"sync"
	"testing"
	"time"

	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/scenarios"
)

// lockedBuffer is a bytes.Buffer safe for a goroutine writing while the
// test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

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

	// devolve serve on a free port, until the test cancels it.
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "suffolk", "--trials", trials, "--seed", seed, "--addr", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	defer func() {
		cancel()
		if code := <-done; code != exitOK && code != exitInterrupted { // stopped by cancelling its context
			t.Errorf("devolve serve: exit %d: %s", code, stderr.String())
		}
	}()
	addr := regexp.MustCompile(`http://[0-9.:]+/`)
	var base string
	for deadline := time.Now().Add(time.Minute); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		base = addr.FindString(stdout.String())
	}
	if base == "" {
		t.Fatalf("devolve serve did not start: %s", stderr.String())
	}
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
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			NPV          [3]float64 `json:"npv_p5_p50_p95"`
			PNPVPositive float64    `json:"p_npv_positive"`
			Command      string     `json:"command"`
		}
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
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
