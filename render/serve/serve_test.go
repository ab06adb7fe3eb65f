package serve

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
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
	s, err := New(htmlreport.Scenario{Name: ld.Scenario.Name, Source: ld.Source, Compiled: c}, Options{Run: engine.Options{Seed: 1, Iterations: 5000}})
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

// request sends one GET with the given headers to the server's handler.
func request(t *testing.T, s *Server, target string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", target, nil)
	r.Host = "127.0.0.1:8080"
	r.RemoteAddr = "127.0.0.1:40000"
	for k, v := range header {
		if k == "Host" {
			r.Host = v
			continue
		}
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// TestHostAndOrigin (issue 19): a Host other than a loopback name or one
// the server was given (DNS rebinding) is refused, as are requests another
// site's page makes; a link to the page from elsewhere still opens it.
func TestHostAndOrigin(t *testing.T) {
	s, _ := newServer(t)
	named, err := New(s.sc, Options{Run: engine.Options{Seed: 1, Iterations: 1000}, Hosts: []string{"devolve.lan"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		s      *Server
		target string
		header map[string]string
		code   int
	}{
		{"loopback", s, "/api/run", nil, 200},
		{"localhost", s, "/api/run", map[string]string{"Host": "LOCALHOST:8080"}, 200},
		{"ipv6 loopback", s, "/api/run", map[string]string{"Host": "[::1]:8080"}, 200},
		{"rebinding", s, "/api/run", map[string]string{"Host": "evil.example:8080"}, http.StatusMisdirectedRequest},
		{"rebinding page", s, "/", map[string]string{"Host": "evil.example"}, http.StatusMisdirectedRequest},
		{"other origin", s, "/api/run", map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"same origin", s, "/api/run", map[string]string{"Origin": "http://127.0.0.1:8080"}, 200},
		{"cross-site fetch", s, "/api/run", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}, http.StatusForbidden},
		{"cross-site link", s, "/", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}, 200},
		{"cross-site image", s, "/", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}, http.StatusForbidden},
		{"named host", named, "/api/run", map[string]string{"Host": "devolve.lan:8080"}, 200},
		{"named host, other", named, "/api/run", map[string]string{"Host": "evil.example:8080"}, http.StatusMisdirectedRequest},
	} {
		if w := request(t, c.s, c.target, c.header); w.Code != c.code {
			t.Errorf("%s: %d, want %d: %.200s", c.name, w.Code, c.code, w.Body.String())
		}
	}
}

// TestNonFiniteFix (issue 19): fix=other_overrun=1e308 made the fan chart
// panic and the connection drop; now it is a 400 naming the input.
func TestNonFiniteFix(t *testing.T) {
	s, _ := newServer(t)
	w := request(t, s, "/api/run?fix=other_overrun=1e308", nil)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "other_overrun") {
		t.Errorf("%d %.300s", w.Code, w.Body.String())
	}
}

// TestPerClientLimit (issue 19): a client with PerClient reruns in flight
// gets 429; another client is served.
func TestPerClientLimit(t *testing.T) {
	s, _ := newServer(t)
	s.clientsMu.Lock()
	s.inFlight["127.0.0.1"] = DefaultPerClient
	s.clientsMu.Unlock()
	if w := request(t, s, "/api/run", nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("a busy client: %d, want 429", w.Code)
	}
	if w := request(t, s, "/api/run", map[string]string{}); w.Code != http.StatusTooManyRequests {
		t.Errorf("a busy client again: %d", w.Code)
	}
	r := httptest.NewRequest("GET", "/api/run", nil)
	r.Host, r.RemoteAddr = "localhost", "127.0.0.2:5"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("another client: %d", w.Code)
	}
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	if n := s.inFlight["127.0.0.2"]; n != 0 {
		t.Errorf("the other client's count is %d after its rerun, want 0", n)
	}
}

// TestShellQuote (issue 19): the page's command is safe to paste. A POSIX
// shell (sh, independent of the code under test) reads each quoted word
// back as the original text, and nothing in it runs.
func TestShellQuote(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	words := []string{"suffolk", "items.x$(touch pwned)y.amount=1", "a'b", "`touch pwned`", "x;touch pwned", "", "~", "a b\tc\nd", "{a,b}", "*", "it_overrun=1.5e+06"}
	for _, w := range words {
		cmd := exec.Command(sh, "-c", "printf '%s' "+ShellQuote(w))
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil || string(out) != w {
			t.Errorf("ShellQuote(%q) = %s: sh read back %q (%v)", w, ShellQuote(w), out, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Error("a quoted word ran a command")
	}
	if q := ShellQuote("it_overrun=1.2"); q != "it_overrun=1.2" {
		t.Errorf("a plain word quoted: %s", q)
	}
}

// BenchmarkEvaluate is one slider move: Suffolk rerun with its top driver
// fixed, DefaultTrials trials under devolve's default sampling, and the
// headline and fan measured and drawn (what the page waits for).
func BenchmarkEvaluate(b *testing.B) {
	ld, err := scenarios.Load("suffolk")
	if err != nil {
		b.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		b.Fatal(err)
	}
	run := engine.Defaults()
	run.Iterations = DefaultTrials
	s, err := New(htmlreport.Scenario{Name: ld.Scenario.Name, Source: ld.Source, Compiled: c}, Options{Run: run})
	if err != nil {
		b.Fatal(err)
	}
	d := s.Drivers()[0]
	fix := map[string]float64{d.Name: d.Median}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Evaluate(context.Background(), fix); err != nil {
			b.Fatal(err)
		}
	}
}
