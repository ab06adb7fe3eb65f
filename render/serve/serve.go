package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/devolve-lgr/devolve/explain"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/htmlreport"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/render/words"
)

// DefaultTrials is the number of trials of each rerun.
const DefaultTrials = 20_000

// DefaultDrivers is how many sliders the page shows.
const DefaultDrivers = 5

// sliderSteps is the number of steps between a slider's ends.
const sliderSteps = 200

// Options configures New; zero values mean the defaults named.
type Options struct {
	// Run is each rerun: iterations (0: DefaultTrials), seed, workers,
	// sampling and memory limit, as devolve run takes them (the command
	// starts from engine.Defaults), so the command the page prints
	// reproduces its figures.
	Run engine.Options
	// Drivers is the number of sliders (default DefaultDrivers).
	Drivers int
	// Compare, if set, is a second option shown beside the first and rerun
	// with it on common random numbers (same seed and trials; an input the
	// two share by name takes the same draws, and a fixed one the same value).
	Compare *htmlreport.Scenario
	// Version is the program version shown on the page.
	Version string
	// Command is how the page names the equivalent command line, e.g.
	// "devolve run suffolk" (with Compare, "devolve compare suffolk
	// suffolk-two", which runs both in the same design order), already quoted for a POSIX shell (ShellQuote
	// each argument); --iterations, --seed, --sampling and --fix are appended, quoted.
	Command string
	// Hosts are the host names (no port) that requests may carry in their
	// Host header and, when they send one, their Origin, besides the
	// loopback names localhost, 127.0.0.1 and ::1, which are always
	// accepted. Anything else is refused (421): a web page that points a
	// name of its own at this machine (DNS rebinding) cannot read the page
	// or make it compute.
	Hosts []string
	// PerClient is the most reruns (page loads and /api/run) one client
	// address may have running or waiting at once (default
	// DefaultPerClient); more are refused with 429.
	PerClient int
}

// DefaultPerClient is the default of Options.PerClient: one rerun running
// and one waiting, enough for a page whose slider sends a rerun when the
// last answer is still on its way.
const DefaultPerClient = 2

// loopbackHosts are the host names always accepted (Options.Hosts).
var loopbackHosts = []string{"localhost", "127.0.0.1", "::1"}

// Driver is one slider: an uncertain input, its range (P1 to P99 of its
// distribution; steps of 1 for whole-number inputs), its median and its
// tornado swing of NPV (£). Inputs that take a few separate values
// (bernoulli, discrete) get no slider.
type Driver struct {
	// Name is the model input's name (as --fix takes it); Label, Path,
	// Unit and Evidence are what the compiler registered with it.
	Name, Label, Path, Evidence string
	Unit                        lgr.Unit
	Min, Max, Step, Median      float64
	// P10 and P90 mark the range its tornado swing is measured over.
	P10, P90 float64
	Swing    float64
}

// Server serves the what-if page of one scenario.
type Server struct {
	c  *lgr.Compiled
	sc htmlreport.Scenario
	// b is Options.Compare's compiled option (nil: one option).
	b       *lgr.Compiled
	opt     Options
	drivers []Driver
	// axis is the fan chart's fixed vertical range (£): the page's axes
	// do not rescale as sliders move, so a shift reads as a shift.
	axis [2]float64
	// base is the rerun with nothing fixed, for reference.
	base *Result
	mux  *http.ServeMux
	// one rerun at a time: each already uses every core.
	mu sync.Mutex
	// hosts accepted in Host and Origin headers (lower case, no port).
	hosts map[string]bool
	// inFlight counts each client address's reruns running or waiting.
	clientsMu sync.Mutex
	inFlight  map[string]int
}

// New finds the scenario's top drivers and returns its server.
func New(sc htmlreport.Scenario, opt Options) (*Server, error) {
	if opt.Run.Iterations <= 0 {
		opt.Run.Iterations = DefaultTrials
	}
	if opt.Drivers <= 0 {
		opt.Drivers = DefaultDrivers
	}
	if opt.PerClient <= 0 {
		opt.PerClient = DefaultPerClient
	}
	// Two options give their inputs the design's dimensions in one order,
	// as devolve compare does, so that under Sobol' sampling an input they
	// share draws the same values in both (common random numbers).
	if opt.Compare != nil {
		opt.Run.DesignOrder = lgr.DesignOrder(sc.Compiled, opt.Compare.Compiled)
	}
	// A rerun holds what these plans say, both options' results at once
	// (fixing inputs only lowers it): refuse now rather than on the first
	// request.
	each := opt.Run
	each.MemoryLimit = 0 // checked together below
	var plans []*engine.Plan
	for _, c := range []*lgr.Compiled{sc.Compiled, compiled(opt.Compare)} {
		if c == nil {
			continue
		}
		p, err := c.Plan(each)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	if err := engine.CheckMemory(opt.Run.MemoryLimit, plans...); err != nil {
		return nil, err
	}
	s := &Server{c: sc.Compiled, b: compiled(opt.Compare), sc: sc, opt: opt, hosts: map[string]bool{}, inFlight: map[string]int{}}
	for _, h := range append(slices.Clone(loopbackHosts), opt.Hosts...) {
		s.hosts[strings.ToLower(strings.Trim(h, "[]"))] = true
	}
	s.drivers = TopDrivers(sc.Compiled, opt.Drivers)
	if len(s.drivers) == 0 {
		return nil, fmt.Errorf("serve: %s has no uncertain inputs to move", sc.Name)
	}
	base, err := s.evaluate(context.Background(), nil)
	if err != nil {
		return nil, err
	}
	s.base = base
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /{$}", s.limited(s.page))
	s.mux.HandleFunc("GET /api/run", s.limited(s.api))
	// Browsers ask for an icon; there is none, and saying so is not an error.
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return s, nil
}

// compiled is sc's compiled scenario (nil: no scenario).
func compiled(sc *htmlreport.Scenario) *lgr.Compiled {
	if sc == nil {
		return nil
	}
	return sc.Compiled
}

// Drivers returns the sliders, largest swing first.
func (s *Server) Drivers() []Driver { return s.drivers }

// ServeHTTP implements http.Handler. It refuses a request whose Host is
// not one the server answers to (421), one that another site's page makes
// (an Origin of another host, or a browser's Sec-Fetch-Site: cross-site on
// anything but following a link to the page: 403), and turns a panic in a
// handler into a 500 rather than a dropped connection.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.allowedHost(r.Host) {
		http.Error(w, "devolve serve: this server answers only to "+strings.Join(slices.Sorted(maps.Keys(s.hosts)), ", ")+" (start it with --addr NAME:PORT to use another name)", http.StatusMisdirectedRequest)
		return
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || !s.allowedHost(u.Host) {
			http.Error(w, "devolve serve: requests from other sites are refused", http.StatusForbidden)
			return
		}
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		// A link to the page from elsewhere is fine; anything else a
		// page on another site makes the browser send is not.
		if !(r.URL.Path == "/" && r.Header.Get("Sec-Fetch-Mode") == "navigate") {
			http.Error(w, "devolve serve: requests from other sites are refused", http.StatusForbidden)
			return
		}
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			http.Error(w, fmt.Sprintf("devolve serve: internal error: %v", p), http.StatusInternalServerError)
		}
	}()
	s.mux.ServeHTTP(w, r)
}

// allowedHost reports whether hostport (a Host header, or an Origin's
// host) names this server: its host part is a loopback name or one of
// Options.Hosts.
func (s *Server) allowedHost(hostport string) bool {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	return s.hosts[strings.ToLower(strings.Trim(h, "[]"))]
}

// limited wraps a handler that reruns the model so that one client address
// has at most Options.PerClient of them running or waiting (429 beyond).
func (s *Server) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		client := r.RemoteAddr
		if host, _, err := net.SplitHostPort(client); err == nil {
			client = host
		}
		s.clientsMu.Lock()
		busy := s.inFlight[client] >= s.opt.PerClient
		if !busy {
			s.inFlight[client]++
		}
		s.clientsMu.Unlock()
		if busy {
			w.Header().Set("Retry-After", "1")
			http.Error(w, fmt.Sprintf("devolve serve: at most %d reruns at once from one client; wait for one to finish", s.opt.PerClient), http.StatusTooManyRequests)
			return
		}
		defer func() {
			s.clientsMu.Lock()
			if s.inFlight[client]--; s.inFlight[client] == 0 {
				delete(s.inFlight, client)
			}
			s.clientsMu.Unlock()
		}()
		h(w, r)
	}
}

// TopDrivers are the n uncertain inputs with the largest swing of NPV when
// each alone moves from its P10 to its P90, every other input at its median.
func TopDrivers(c *lgr.Compiled, n int) []Driver {
	m := c.Model
	var out []Driver
	for _, sw := range explain.Swings(c) {
		if len(out) == n || sw.Swing == 0 {
			break
		}
		var d dist.Distribution
		var info lgr.InputInfo
		for j, in := range m.Inputs {
			if in.Name == sw.Name {
				d, info = in.Dist, c.Inputs[j]
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
		out = append(out, Driver{Name: sw.Name, Label: info.Label, Path: info.Path, Evidence: info.Evidence(), Unit: info.Unit,
			Min: lo, Max: hi, Step: step, Median: d.Quantile(0.5), P10: d.Quantile(0.1), P90: d.Quantile(0.9), Swing: sw.Swing})
	}
	return out
}

// Result is one rerun as the page shows it.
type Result struct {
	Sentences    []string           `json:"sentences"`
	PNPVPositive float64            `json:"p_npv_positive"`
	PNPVText     string             `json:"p_npv_positive_text"`
	NPV          [3]float64         `json:"npv_p5_p50_p95"`
	Fixed        map[string]float64 `json:"fixed"`
	// FixedText gives each fixed value in its unit's words (£125k a year).
	FixedText map[string]string `json:"fixed_text"`
	// AtMedians is P(NPV > 0) with the same inputs fixed at their medians
	// instead, and Nothing with nothing fixed ("" when nothing is fixed).
	AtMedians string              `json:"p_npv_positive_at_medians"`
	Nothing   string              `json:"p_npv_positive_nothing_fixed"`
	Command   string              `json:"command"`
	FanSVG    string              `json:"fan_svg"`
	Headline  htmlreport.Headline `json:"-"`
	// B is the second option's rerun with the same inputs fixed (nil: one
	// option).
	B *Other `json:"b,omitempty"`
}

// Other is the second option of a two-option page, rerun on common random
// numbers with the first.
type Other struct {
	Name         string     `json:"name"`
	Sentences    []string   `json:"sentences"`
	PNPVPositive float64    `json:"p_npv_positive"`
	PNPVText     string     `json:"p_npv_positive_text"`
	NPV          [3]float64 `json:"npv_p5_p50_p95"`
	FanSVG       string     `json:"fan_svg"`
	// PBetter is P(NPV_B > NPV_A), trial by trial on common random numbers.
	PBetter     float64 `json:"p_b_better"`
	PBetterText string  `json:"p_b_better_text"`
}

// Evaluate reruns the scenario with the given inputs fixed (same seed, the
// server's trials) and measures its headline and fan. With inputs fixed it
// also reruns with the same inputs fixed at their medians (Result.AtMedians):
// fixing an input removes its uncertainty, which by itself moves the
// chance of a positive NPV, whatever the value chosen.
func (s *Server) Evaluate(ctx context.Context, fix map[string]float64) (*Result, error) {
	if len(fix) == 0 && s.base != nil {
		return s.base, nil
	}
	r, err := s.evaluate(ctx, fix)
	if err != nil || len(fix) == 0 {
		return r, err
	}
	med := map[string]float64{}
	for name := range fix {
		for _, c := range []*lgr.Compiled{s.b, s.c} { // the first option's, if both have it
			if c == nil {
				continue
			}
			for _, in := range c.Model.Inputs {
				if in.Name == name {
					med[name] = in.Dist.Quantile(0.5)
				}
			}
		}
	}
	m, err := s.evaluate(ctx, med)
	if err != nil {
		return nil, err
	}
	r.AtMedians = m.PNPVText
	r.Nothing = s.base.PNPVText
	return r, nil
}

// evaluate is one rerun (of both options when there are two).
func (s *Server) evaluate(ctx context.Context, fix map[string]float64) (*Result, error) {
	// Each option fixes the inputs it has (devolve compare --fix does the
	// same); sliders are the first option's, so a name neither has is
	// refused.
	cs := []*lgr.Compiled{s.c}
	if s.b != nil {
		cs = append(cs, s.b)
	}
	if len(fix) > 0 {
		var err error
		if cs, err = lgr.FixEach(cs, fix); err != nil {
			return nil, err
		}
	}
	res, err := s.run(ctx, cs[0])
	if err != nil {
		return nil, err
	}
	var resB *lgr.Result
	if s.b != nil {
		if resB, err = s.run(ctx, cs[1]); err != nil {
			return nil, err
		}
	}
	name := s.sc.Name
	series := chart.FanFromResult(name, res)
	var seriesB chart.FanSeries
	if resB != nil {
		seriesB = chart.FanFromResult(s.opt.Compare.Name, resB)
	}
	if s.base == nil { // the first run sets the axis for every rerun
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, q := range append(slices.Clone(series.Q), seriesB.Q...) {
			lo, hi = math.Min(lo, q[0]), math.Max(hi, q[4])
		}
		pad := 0.35 * (hi - lo)
		s.axis = [2]float64{lo - pad, hi + pad}
	}
	svg, err := s.fanSVG(name, series)
	if err != nil {
		return nil, err
	}
	if fix == nil {
		fix = map[string]float64{}
	}
	text := map[string]string{}
	for in, v := range fix {
		var unit lgr.Unit // the first option's, else the second's
		for _, c := range cs {
			if info, ok := c.Input(in); ok && unit == "" {
				unit = info.Unit
			}
		}
		text[in] = words.Value(v, unit)
	}
	h := s.headline(s.c, name, res)
	out := &Result{Sentences: h.Sentences(), PNPVPositive: h.PNPVPositive, PNPVText: report.Pct(h.PNPVPositive),
		NPV: [3]float64{h.NPV5, h.NPV50, h.NPV95}, Fixed: fix, FixedText: text, Command: s.command(fix), FanSVG: svg, Headline: h}
	if resB != nil {
		hb := s.headline(s.b, s.opt.Compare.Name, resB)
		svgB, err := s.fanSVG(s.opt.Compare.Name, seriesB)
		if err != nil {
			return nil, err
		}
		a, b := res.Draws("npv"), resB.Draws("npv")
		better := 0
		for t := range a {
			if b[t] > a[t] {
				better++
			}
		}
		p := float64(better) / float64(len(a))
		out.B = &Other{Name: s.opt.Compare.Name, Sentences: hb.Sentences(), PNPVPositive: hb.PNPVPositive, PNPVText: report.Pct(hb.PNPVPositive),
			NPV: [3]float64{hb.NPV5, hb.NPV50, hb.NPV95}, FanSVG: svgB,
			PBetter: p, PBetterText: fmt.Sprintf("%s has a higher net present value than %s in %s of %d simulations (paired on common random numbers).",
				s.opt.Compare.Name, name, report.Pct(p), len(a))}
	}
	return out, nil
}

// run reruns one compiled option (its inputs already fixed), refusing a
// non-finite headline (fix=other_overrun=1e308 made the fan chart panic):
// it names its input, as devolve run does.
func (s *Server) run(ctx context.Context, c *lgr.Compiled) (*lgr.Result, error) {
	s.mu.Lock()
	res, err := c.Run(ctx, s.opt.Run)
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := res.CheckFinite(); err != nil {
		return nil, err
	}
	return res, nil
}

// headline measures an option's headline sentences.
func (s *Server) headline(c *lgr.Compiled, name string, res *lgr.Result) htmlreport.Headline {
	first := 0
	if vy := c.Scenario.VestingYear; vy > 0 {
		first = vy - 1
	}
	return htmlreport.NewHeadline(name, res.Draws("npv"), res.Draws("payback_years"), c.Years-1, first)
}

// fanSVG draws an option's fan on the page's fixed axis.
func (s *Server) fanSVG(name string, series chart.FanSeries) (string, error) {
	p := chart.Fan(name+": cumulative net cash flow", []chart.FanSeries{series})
	p.Y.Min, p.Y.Max = s.axis[0], s.axis[1]
	return htmlreport.InlineSVG(chart.Figure{Name: "fan", Title: name + ": cumulative net cash flow by year (axis fixed)", Plot: p})
}

// command is the devolve run command line that reproduces a rerun.
func (s *Server) command(fix map[string]float64) string {
	cmd := s.opt.Command
	if cmd == "" {
		cmd = "devolve run " + ShellQuote(s.sc.Source)
	}
	cmd += fmt.Sprintf(" --iterations %d --seed %d --sampling %s", s.opt.Run.Iterations, s.opt.Run.Seed, s.opt.Run.Sampling)
	names := make([]string, 0, len(fix))
	for n := range fix {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cmd += " --fix " + ShellQuote(n+"="+strconv.FormatFloat(fix[n], 'g', -1, 64))
	}
	return cmd
}

// ShellQuote returns s as one word of a POSIX shell command line: as it is
// when it holds only letters, digits and _ - . / = : , + @ %, else in
// single quotes (each ' written '\”), so that pasting the command never
// runs anything a name holds (x$(touch f)y stays text).
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./=:,+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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
	err = pageTmpl().Execute(w, struct {
		S       *Server
		R       *Result
		Drivers []Driver
	}{s, res, s.drivers})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// pageTmpl is the page's template, parsed on first use (not at start-up,
// which every command pays).
var pageTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Funcs(template.FuncMap{
		"svg":   func(s string) template.HTML { return template.HTML(s) }, // generated by gonum/plot from our own data
		"f":     func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) },
		"money": report.Money,
		"value": words.Value,
		// pos is where x lies on a slider from lo to hi, in percent.
		"pos": func(x, lo, hi float64) string { return strconv.FormatFloat(100*(x-lo)/(hi-lo), 'f', 2, 64) },
	}).Parse(pageText))
})

const pageText = `<!DOCTYPE html>
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
.slider label { display: block; font-weight: bold; font-size: 1rem; }
.slider .path { color: #505a5f; font-size: 0.8rem; }
.slider .judgement { color: #d4351c; font-weight: bold; }
.slider input { width: 100%; margin: 4px 0 0; }
.slider .val { color: #505a5f; font-size: 0.9rem; }
.marks { position: relative; height: 30px; font-size: 0.75rem; color: #505a5f; margin: 0 8px; }
.marks span { position: absolute; transform: translateX(-50%); white-space: nowrap; border-left: 1px solid #505a5f; padding-left: 2px; top: 0; }
.marks span.med { color: #0b0c0c; font-weight: bold; }
.marks span.range { top: 14px; border-left: 0; }
.pair { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); grid-template-rows: repeat(4, auto); grid-auto-flow: column; column-gap: 20px; }
.pair h2 { margin-bottom: 0; }
.note { border-left: 5px solid #f47738; padding: 6px 10px; background: #fef7f1; font-size: 0.95rem; }
button { background: #00703c; color: #fff; border: 0; padding: 8px 14px; font-size: 1rem; cursor: pointer; box-shadow: 0 2px 0 #002d18; }
svg.chart { width: 100%; height: auto; display: block; }
code { font-size: 0.85rem; word-break: break-all; }
.small { color: #505a5f; font-size: 0.9rem; }
</style>
</head>
<body data-state="ready" data-seq="0">
<header><div class="inner"><span class="brand">devolve</span> &nbsp; what if?</div></header>
<main>
<h1>{{.S.Name}}{{if .R.B}} against {{.R.B.Name}}{{end}}</h1>
<div class="cols">
<div class="left">
<div class="panel" id="headline">{{range .R.Sentences}}<p>{{.}}</p>{{end}}</div>
<p>Chance the net present value {{if .R.B}}of {{.S.Name}} {{end}}is positive</p>
<p class="big" id="pnpv">{{.R.PNPVText}}</p>
<p class="note" id="fixnote" data-nothing="Nothing is fixed: every input is uncertain. Fixing an input at a value removes its uncertainty, and that alone can raise or lower this chance, even when the value chosen is its median. So when you fix inputs the page also shows the chance with the same inputs fixed at their medians: compare the two to see the effect of the values you chose.">Nothing is fixed: every input is uncertain. Fixing an input at a value removes its uncertainty, and that alone can raise or lower this chance, even when the value chosen is its median. So when you fix inputs the page also shows the chance with the same inputs fixed at their medians: compare the two to see the effect of the values you chose.</p>
<h2>Top drivers</h2>
<p class="small">The inputs that move NPV most when each alone goes from its P10 to its P90. Move a slider to fix that input at a value (its range runs from its P1 to its P99; the marks show its P10, median and P90); every other input stays uncertain, with the same draws.</p>
{{range $i, $d := .Drivers}}<div class="slider">
<label for="s{{$i}}">{{$d.Label}}</label>
<span class="path">{{$d.Path}} · {{if eq $d.Evidence "JUDGEMENT"}}<span class="judgement">JUDGEMENT</span>{{else}}{{$d.Evidence}}{{end}}</span>
<input type="range" id="s{{$i}}" data-name="{{$d.Name}}" min="{{f $d.Min}}" max="{{f $d.Max}}" step="{{f $d.Step}}" value="{{f $d.Median}}" aria-describedby="v{{$i}}">
<div class="marks" aria-hidden="true"><span style="left: {{pos $d.P10 $d.Min $d.Max}}%">P10</span><span class="med" style="left: {{pos $d.Median $d.Min $d.Max}}%">median</span><span style="left: {{pos $d.P90 $d.Min $d.Max}}%">P90</span><span class="range" style="left: 0%">{{value $d.Min $d.Unit}}</span><span class="range" style="left: 100%">{{value $d.Max $d.Unit}}</span></div>
<span class="val" id="v{{$i}}" data-uncertain="uncertain (median {{value $d.Median $d.Unit}}; swing of NPV {{money $d.Swing}})">uncertain (median {{value $d.Median $d.Unit}}; swing of NPV {{money $d.Swing}})</span>
</div>{{end}}
<button type="button" id="reset">Make every input uncertain again</button>
</div>
<div class="right">
{{if .R.B}}<p class="panel" id="pbetter">{{.R.B.PBetterText}}</p>
<div class="pair">
<h2>{{.S.Name}}</h2><p>Chance NPV is positive: <strong id="pnpvA">{{.R.PNPVText}}</strong></p><div id="fan">{{svg .R.FanSVG}}</div><div class="small">Its headline is on the left.</div>
<h2 id="nameB">{{.R.B.Name}}</h2><p>Chance NPV is positive: <strong id="pnpvB">{{.R.B.PNPVText}}</strong></p><div id="fanB">{{svg .R.B.FanSVG}}</div>
<div class="small" id="headlineB">{{range .R.B.Sentences}}<p>{{.}}</p>{{end}}</div>
</div>
<p class="small">Both options are rerun with the same seed and trials: an input they share takes the same draws in both, and a slider fixes it in both, so the comparison is paired simulation by simulation. The sliders are the first option's top drivers.</p>
{{else}}<div id="fan">{{svg .R.FanSVG}}</div>{{end}}
<p class="small" id="basis">{{.S.Basis}}</p>
<p class="small">The vertical axis is fixed at the range of the first run (nothing fixed), so a move of the fan is a move of the figures, not of the scale; a band beyond it is cut at the edge.</p>
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
      if (d.b) {
        document.getElementById('fanB').innerHTML = d.b.fan_svg;
        document.getElementById('pnpvA').textContent = d.p_npv_positive_text;
        document.getElementById('pnpvB').textContent = d.b.p_npv_positive_text;
        document.getElementById('pbetter').textContent = d.b.p_b_better_text;
        document.getElementById('headlineB').innerHTML = d.b.sentences.map(function (s) { return '<p>' + esc(s) + '</p>'; }).join('');
      }
      document.getElementById('command').textContent = d.command;
      document.querySelectorAll('input[type=range]').forEach(function (el, i) {
        var v = document.getElementById('v' + i);
        v.textContent = (el.dataset.name in d.fixed_text) ? 'fixed at ' + d.fixed_text[el.dataset.name] : v.dataset.uncertain;
      });
      var note = document.getElementById('fixnote');
      if (d.p_npv_positive_at_medians) {
        note.textContent = 'With the same inputs fixed at their medians instead, the chance is ' + d.p_npv_positive_at_medians +
          '; with nothing fixed, ' + d.p_npv_positive_nothing_fixed + '. Fixing an input removes its uncertainty, and that alone moves the chance: ' +
          'the effect of the values you chose is the change from ' + d.p_npv_positive_at_medians + ', not from ' + d.p_npv_positive_nothing_fixed + '.';
      } else {
        note.textContent = note.dataset.nothing;
      }
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
      document.getElementById('v' + i).textContent = 'fixing…';
      body.dataset.state = 'busy';
      clearTimeout(timer);
      timer = setTimeout(rerun, 80);
    });
  });
  document.getElementById('reset').addEventListener('click', function () {
    fixed = {};
    document.querySelectorAll('input[type=range]').forEach(function (el, i) {
      el.value = el.defaultValue;
      var v = document.getElementById('v' + i);
      v.textContent = v.dataset.uncertain;
    });
    body.dataset.state = 'busy';
    rerun();
  });
})();
</script>
</body>
</html>
`

// Basis says what NPV means on the page (words.Basis).
func (s *Server) Basis() string { return words.Basis(s.c.Scenario, s.c.Years-1) }

// Name, Trials, Seed and Version are shown on the page.
func (s *Server) Name() string    { return s.sc.Name }
func (s *Server) Trials() int     { return s.opt.Run.Iterations }
func (s *Server) Seed() uint64    { return s.opt.Run.Seed }
func (s *Server) Version() string { return s.opt.Version }
