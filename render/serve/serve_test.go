package serve

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/render/htmlreport"
	"github.com/devolve-lgr/devolve/scenarios"
)

func newServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	ld, err := scenarios.Load("suffolk")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(htmlreport.Scenario{Name: ld.Scenario.Name, Source: ld.Source, Compiled: c}, Options{Seed: 1, Trials: 5000})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestPage(t *testing.T) {
	s, ts := newServer(t)
	code, body := get(t, ts.URL+"/")
	if code != 200 {
		t.Fatalf("GET /: %d %s", code, body)
	}
	if n := strings.Count(body, `type="range"`); n != DefaultDrivers {
		t.Errorf("%d sliders, want %d", n, DefaultDrivers)
	}
	for _, want := range []string{`id="headline"`, `id="pnpv"`, `<svg class="chart"`, s.Drivers()[0].Name} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script src", "<link", `src="http`, `href="http`, "url("} {
		if strings.Contains(body, bad) {
			t.Errorf("page loads something from elsewhere: %q", bad)
		}
	}
	if code, _ := get(t, ts.URL+"/nothing"); code != 404 {
		t.Errorf("GET /nothing: %d", code)
	}
}

// Drivers are sorted by swing, and each slider's range holds its median.
func TestDrivers(t *testing.T) {
	s, _ := newServer(t)
	ds := s.Drivers()
	for i, d := range ds {
		if !(d.Min < d.Median && d.Median < d.Max) || d.Step <= 0 {
			t.Errorf("driver %s: range %v..%v median %v step %v", d.Name, d.Min, d.Max, d.Median, d.Step)
		}
		if i > 0 && d.Swing > ds[i-1].Swing {
			t.Errorf("drivers not sorted by swing at %d", i)
		}
	}
}

// The API's figures are those of an independent run of the fixed model.
func TestAPI(t *testing.T) {
	s, ts := newServer(t)
	d := s.Drivers()[0]
	v := d.Min + 0.25*(d.Max-d.Min)
	start := time.Now()
	code, body := get(t, ts.URL+"/api/run?fix="+d.Name+"="+strings.TrimSpace(jsonNum(v)))
	t.Logf("rerun of 5000 trials: %v", time.Since(start))
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var got Result
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	cf, err := s.c.Fix(map[string]float64{d.Name: v})
	if err != nil {
		t.Fatal(err)
	}
	res, err := cf.Run(context.Background(), engine.Options{Iterations: 5000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sum := res.Summarize()
	if got.PNPVPositive != sum.PNPVPositive || got.NPV[1] != sum.NPV.P50 {
		t.Errorf("API P(NPV>0) %v median %v; independent run %v %v", got.PNPVPositive, got.NPV[1], sum.PNPVPositive, sum.NPV.P50)
	}
	if got.Fixed[d.Name] != v || !strings.Contains(got.Command, "--fix "+d.Name+"=") || !strings.Contains(got.FanSVG, "<svg") {
		t.Errorf("result %+v", got)
	}
	for _, bad := range []string{"fix=nope=1", "fix=" + d.Name + "=NaN", "fix=" + d.Name + "=x", "fix=novalue"} {
		if code, body := get(t, ts.URL+"/api/run?"+bad); code != 400 {
			t.Errorf("%s: %d %s", bad, code, body)
		}
	}
}

func jsonNum(v float64) string { b, _ := json.Marshal(v); return string(b) }
