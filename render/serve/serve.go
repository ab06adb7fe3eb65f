package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/model/sensitivity"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/htmlreport"
	"github.com/devolve-lgr/devolve/render/report"
)

// DefaultTrials is the number of trials of each rerun.
const DefaultTrials = 20_000

// DefaultDrivers is how many sliders the page shows.
const DefaultDrivers = 5

// sliderSteps is the number of steps between a slider's ends.
const sliderSteps = 200

// Options configures New; zero values mean the defaults named.
type Options struct {
	// Trials per rerun (default DefaultTrials); Seed; Workers (0: all cores).
	Trials  int
	Seed    uint64
	Workers int
	// Drivers is the number of sliders (default DefaultDrivers).
	Drivers int
	// Version is the program version shown on the page.
	Version string
	// Command is how the page names the equivalent command line, e.g.
	// "devolve run suffolk"; --iterations, --seed and --fix are appended.
	Command string
}

// Driver is one slider: an uncertain input, its range (P1 to P99 of its
// distribution; steps of 1 for whole-number inputs), its median and its
// tornado swing of NPV (£). Inputs that take a few separate values
// (bernoulli, discrete) get no slider.
type Driver struct {
	Name                   string
	Min, Max, Step, Median float64
	Swing                  float64
}

// Server serves the what-if page of one scenario.
type Server struct {
	c       *lgr.Compiled
	sc      htmlreport.Scenario
	opt     Options
	drivers []Driver
	mux     *http.ServeMux
	// one rerun at a time: each already uses every core.
	mu sync.Mutex
}

// New finds the scenario's top drivers and returns its server.
func New(sc htmlreport.Scenario, opt Options) (*Server, error) {
	if opt.Trials <= 0 {
		opt.Trials = DefaultTrials
	}
	if opt.Drivers <= 0 {
		opt.Drivers = DefaultDrivers
	}
	s := &Server{c: sc.Compiled, sc: sc, opt: opt}
	s.drivers = TopDrivers(sc.Compiled, opt.Drivers)
	if len(s.drivers) == 0 {
		return nil, fmt.Errorf("serve: %s has no uncertain inputs to move", sc.Name)
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /{$}", s.page)
	s.mux.HandleFunc("GET /api/run", s.api)
	// Browsers ask for an icon; there is none, and saying so is not an error.
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return s, nil
}

// Drivers returns the sliders, largest swing first.
func (s *Server) Drivers() []Driver { return s.drivers }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// TopDrivers are the n uncertain inputs with the largest swing of NPV when
// each alone moves from its P10 to its P90, every other input at its median.
func TopDrivers(c *lgr.Compiled, n int) []Driver {
	m := c.Model
	names := make([]string, len(m.Inputs))
	for i, in := range m.Inputs {
		names[i] = in.Name
	}
	fixed := func(i int) bool { _, ok := m.Inputs[i].Dist.(dist.Fixed); return ok }
	groups := sensitivity.GroupBy(names, func(s string) string { return s }, fixed)
	swings := sensitivity.Tornado(sensitivity.ModelFunc(m, c.OutNPV), sensitivity.Dists(m), groups)
	var out []Driver
	for _, sw := range swings {
		if len(out) == n || sw.Swing == 0 {
			break
		}
		var d dist.Distribution
		for _, in := range m.Inputs {
			if in.Name == sw.Name {
				d = in.Dist
			}
		}
		lo, hi := d.Quantile(0.01), d.Quantile(0.99)
		step := (hi - lo) / sliderSteps
		switch d.(type) {
		case dist.UniformInt:
			step = 1 // whole numbers (e.g. a contract's end year)
		case dist.Bernoulli, dist.Discrete:
			continue // a slider between values that cannot occur would mislead
		}
		if !(hi > lo) {
			continue
		}
		out = append(out, Driver{Name: sw.Name, Min: lo, Max: hi, Step: step, Median: d.Quantile(0.5), Swing: sw.Swing})
	}
	return out
}

// Result is one rerun as the page shows it.
type Result struct {
	Sentences    []string            `json:"sentences"`
	PNPVPositive float64             `json:"p_npv_positive"`
	PNPVText     string              `json:"p_npv_positive_text"`
	NPV          [3]float64          `json:"npv_p5_p50_p95"`
	Fixed        map[string]float64  `json:"fixed"`
	Command      string              `json:"command"`
	FanSVG       string              `json:"fan_svg"`
	Headline     htmlreport.Headline `json:"-"`
}

// Evaluate reruns the scenario with the given inputs fixed (same seed, the
// server's trials) and measures its headline and fan.
func (s *Server) Evaluate(ctx context.Context, fix map[string]float64) (*Result, error) {
	c := s.c
	if len(fix) > 0 {
		var err error
		if c, err = s.c.Fix(fix); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	res, err := c.Run(ctx, engine.Options{Iterations: s.opt.Trials, Seed: s.opt.Seed, Workers: s.opt.Workers})
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	first := 0
	if vy := c.Scenario.VestingYear; vy > 0 {
		first = vy - 1
	}
	h := htmlreport.NewHeadline(s.sc.Name, res.Draws("npv"), res.Draws("payback_years"), c.Years-1, first)
	fan := chart.Figure{Name: "fan", Title: s.sc.Name + ": cumulative net cash flow by year",
		Plot: chart.Fan(s.sc.Name+": cumulative net cash flow", []chart.FanSeries{chart.FanFromResult(s.sc.Name, res)})}
	svg, err := htmlreport.InlineSVG(fan)
	if err != nil {
		return nil, err
	}
	if fix == nil {
		fix = map[string]float64{}
	}
	return &Result{Sentences: h.Sentences(), PNPVPositive: h.PNPVPositive, PNPVText: report.Pct(h.PNPVPositive),
		NPV: [3]float64{h.NPV5, h.NPV50, h.NPV95}, Fixed: fix, Command: s.command(fix), FanSVG: svg, Headline: h}, nil
}

// command is the devolve run command line that reproduces a rerun.
func (s *Server) command(fix map[string]float64) string {
	cmd := s.opt.Command
	if cmd == "" {
		cmd = "devolve run " + s.sc.Source
	}
	cmd += fmt.Sprintf(" --iterations %d --seed %d", s.opt.Trials, s.opt.Seed)
	names := make([]string, 0, len(fix))
	for n := range fix {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cmd += " --fix " + n + "=" + strconv.FormatFloat(fix[n], 'g', -1, 64)
	}
	return cmd
}

// ParseFix reads fix=NAME=VALUE query parameters.
func ParseFix(q []string) (map[string]float64, error) {
	fix := map[string]float64{}
	for _, f := range q {
		i := strings.LastIndex(f, "=")
		if i <= 0 {
			return nil, fmt.Errorf("fix: want NAME=VALUE (got %q)", f)
		}
		v, err := strconv.ParseFloat(f[i+1:], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("fix %s: want a finite number (got %q)", f[:i], f[i+1:])
		}
		fix[f[:i]] = v
	}
	return fix, nil
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	fix, err := ParseFix(r.URL.Query()["fix"])
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	res, err := s.Evaluate(r.Context(), fix)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(res)
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	res, err := s.Evaluate(r.Context(), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	err = pageTmpl.Execute(w, struct {
		S       *Server
		R       *Result
		Drivers []Driver
	}{s, res, s.drivers})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"svg":   func(s string) template.HTML { return template.HTML(s) }, // generated by gonum/plot from our own data
	"f":     func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) },
	"money": report.Money,
}).Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>What if? {{.S.Name}}</title>
<style>
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; margin: 0; line-height: 1.4; }
header { background: #0b0c0c; color: #fff; padding: 12px 0; border-bottom: 10px solid #1d70b8; }
header .inner, main { max-width: 1100px; margin: 0 auto; padding: 0 15px; }
header .brand { font-weight: bold; font-size: 1.4rem; }
h1 { font-size: 2rem; margin: 25px 0 10px; }
.cols { display: flex; gap: 30px; flex-wrap: wrap; }
.left { flex: 1 1 320px; }
.right { flex: 2 1 600px; }
.panel { border-left: 10px solid #1d70b8; background: #f3f2f1; padding: 15px 20px; margin: 15px 0; font-size: 1.15rem; }
.panel p { margin: 0 0 8px; }
.big { font-size: 3rem; font-weight: bold; }
.slider { margin: 18px 0; }
.slider label { display: block; font-weight: bold; font-family: monospace; font-size: 0.95rem; }
.slider input { width: 100%; }
.slider .val { color: #505a5f; font-size: 0.9rem; }
button { background: #00703c; color: #fff; border: 0; padding: 8px 14px; font-size: 1rem; cursor: pointer; box-shadow: 0 2px 0 #002d18; }
svg.chart { width: 100%; height: auto; display: block; }
code { font-size: 0.85rem; word-break: break-all; }
.small { color: #505a5f; font-size: 0.9rem; }
</style>
</head>
<body data-state="ready" data-seq="0">
<header><div class="inner"><span class="brand">devolve</span> &nbsp; what if?</div></header>
<main>
<h1>{{.S.Name}}</h1>
<div class="cols">
<div class="left">
<div class="panel" id="headline">{{range .R.Sentences}}<p>{{.}}</p>{{end}}</div>
<p>Chance the net present value is positive</p>
<p class="big" id="pnpv">{{.R.PNPVText}}</p>
<h2>Top drivers</h2>
<p class="small">The inputs that move NPV most when each alone goes from its P10 to its P90. Move a slider to fix that input at a value (its range runs from P1 to P99); every other input stays uncertain, with the same draws.</p>
{{range $i, $d := .Drivers}}<div class="slider">
<label for="s{{$i}}">{{$d.Name}}</label>
<input type="range" id="s{{$i}}" data-name="{{$d.Name}}" min="{{f $d.Min}}" max="{{f $d.Max}}" step="{{f $d.Step}}" value="{{f $d.Median}}">
<span class="val" id="v{{$i}}">uncertain (median {{f $d.Median}}; swing of NPV {{money $d.Swing}})</span>
</div>{{end}}
<button type="button" id="reset">Make every input uncertain again</button>
</div>
<div class="right">
<div id="fan">{{svg .R.FanSVG}}</div>
<p class="small">Each rerun: {{.S.Trials}} simulations, seed {{.S.Seed}}, devolve {{.S.Version}}. The same figures from the command line:<br><code id="command">{{.R.Command}}</code></p>
</div>
</div>
</main>
<script>
(function () {
  var fixed = {}, seq = 0, timer = null;
  var body = document.body;
  function esc(s) { var d = document.createElement('div'); d.textContent = s; return d.innerHTML; }
  function rerun() {
    var q = new URLSearchParams();
    Object.keys(fixed).sort().forEach(function (k) { q.append('fix', k + '=' + fixed[k]); });
    var my = ++seq;
    fetch('/api/run?' + q.toString()).then(function (r) {
      if (!r.ok) { return r.text().then(function (t) { throw new Error(t); }); }
      return r.json();
    }).then(function (d) {
      if (my !== seq) { return; }
      document.getElementById('headline').innerHTML = d.sentences.map(function (s) { return '<p>' + esc(s) + '</p>'; }).join('');
      document.getElementById('pnpv').textContent = d.p_npv_positive_text;
      document.getElementById('fan').innerHTML = d.fan_svg;
      document.getElementById('command').textContent = d.command;
      body.dataset.seq = String(my);
      body.dataset.state = 'ready';
    }).catch(function (e) {
      if (my !== seq) { return; }
      document.getElementById('headline').innerHTML = '<p>' + esc('Could not rerun: ' + e.message) + '</p>';
      body.dataset.state = 'error';
    });
  }
  document.querySelectorAll('input[type=range]').forEach(function (el, i) {
    el.addEventListener('input', function () {
      fixed[el.dataset.name] = el.value;
      document.getElementById('v' + i).textContent = 'fixed at ' + el.value;
      body.dataset.state = 'busy';
      clearTimeout(timer);
      timer = setTimeout(rerun, 80);
    });
  });
  document.getElementById('reset').addEventListener('click', function () {
    fixed = {};
    document.querySelectorAll('input[type=range]').forEach(function (el, i) {
      el.value = el.defaultValue;
      document.getElementById('v' + i).textContent = 'uncertain';
    });
    body.dataset.state = 'busy';
    rerun();
  });
})();
</script>
</body>
</html>
`))

// Name, Trials, Seed and Version are shown on the page.
func (s *Server) Name() string    { return s.sc.Name }
func (s *Server) Trials() int     { return s.opt.Trials }
func (s *Server) Seed() uint64    { return s.opt.Seed }
func (s *Server) Version() string { return s.opt.Version }
