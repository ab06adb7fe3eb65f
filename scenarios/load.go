package scenarios

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/inputfile"
	"github.com/devolve-lgr/devolve/internal/suggest"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/notation"
)

// MaxFileSize is the largest scenario file read (10 MiB): scenario files are
// small, and a larger one is almost certainly the wrong file.
const MaxFileSize = 10 << 20

//go:embed *.yaml cases/*.yaml cases/bridge/*.yaml integration/*.yaml
var embedded embed.FS

// Loaded is a scenario read from a file, with the hash of its bytes.
type Loaded struct {
	Scenario *lgr.Scenario
	// Source is the file path, or "embedded:NAME".
	Source string
	// SHA256 is the hex SHA-256 of the file's bytes followed by those of
	// every file it extends, in order.
	SHA256 string
}

// Embedded lists the names of the shipped scenarios (without ".yaml").
func Embedded() []string {
	var names []string
	fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p == "cases/bridge" {
			return fs.SkipDir // published cases for devolve bridge, not scenarios
		}
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			names = append(names, strings.TrimSuffix(p, ".yaml"))
		}
		return nil
	})
	sort.Strings(names)
	return names
}

// source reads files from disk or from the embedded set.
type source interface {
	read(name string) ([]byte, error)
	resolve(from, rel string) string
}

type diskSource struct{}

func (diskSource) read(name string) ([]byte, error) { return inputfile.Read(name, MaxFileSize) }
func (diskSource) resolve(from, rel string) string {
	if filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(filepath.Dir(from), rel)
}

type embedSource struct{}

func (embedSource) read(name string) ([]byte, error) { return embedded.ReadFile(name) }
func (embedSource) resolve(from, rel string) string  { return path.Join(path.Dir(from), rel) }

// Load reads a scenario by file path, or, when no such file exists and the
// argument names a shipped scenario, from the embedded set. Every error
// names the file (fielderr.FileError) and, where there is one, the key path
// as the user wrote it (fielderr.FieldError).
func Load(nameOrPath string) (*Loaded, error) {
	return LoadContext(context.Background(), nameOrPath)
}

// LoadContext is Load, giving up with ctx.Err() once ctx is done.
func LoadContext(ctx context.Context, nameOrPath string) (*Loaded, error) {
	if _, err := os.Stat(nameOrPath); err != nil {
		name := strings.TrimSuffix(nameOrPath, ".yaml")
		for _, e := range Embedded() {
			if e == name || path.Base(e) == name {
				return load(ctx, embedSource{}, e+".yaml", "embedded:"+e)
			}
		}
	}
	return load(ctx, diskSource{}, nameOrPath, nameOrPath)
}

// LoadBytes reads a scenario from bytes in the given format (yaml, json or
// toml); label names it in errors. extends is not allowed.
func LoadBytes(data []byte, format, label string) (*Loaded, error) {
	if len(data) > MaxFileSize {
		return nil, fielderr.InFile(label, fmt.Errorf("scenario is %d bytes; the limit is %d", len(data), MaxFileSize))
	}
	m, notes, err := parseNoted(data, format)
	if err != nil {
		return nil, fielderr.InFile(label, err)
	}
	if _, ok := m["extends"]; ok {
		return nil, fielderr.InFile(label, fielderr.New("extends", "not allowed here"))
	}
	h := sha256.Sum256(data)
	return finish(m, notes, label, hex.EncodeToString(h[:]))
}

func load(ctx context.Context, src source, name, label string) (*Loaded, error) {
	h := sha256.New()
	m, notes, err := readChain(ctx, src, name, h, 0)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return finish(m, notes, label, hex.EncodeToString(h.Sum(nil)))
}

// finish decodes and converts a parsed file; notes are its comments by key
// path (lgr.Scenario.Notes).
func finish(m map[string]any, notes map[string]string, label, sum string) (*Loaded, error) {
	var f fileScenario
	d := &decoder{}
	d.decode("", m, reflect.ValueOf(&f).Elem())
	s, errs := convertValidated(&f)
	if len(d.errs) > 0 {
		// A value of the wrong type or an unknown key is reported with
		// every other problem of the file, less what follows from it (a
		// field left empty, a key missing beside a misspelt one).
		all := d.errs
		for _, e := range errs {
			if !d.explains(e) {
				all = append(all, e)
			}
		}
		return nil, fielderr.InFile(label, errors.Join(all...))
	}
	if len(errs) > 0 {
		return nil, fielderr.InFile(label, errors.Join(errs...))
	}
	s.Notes = notes
	return &Loaded{Scenario: s, Source: label, SHA256: sum}, nil
}

// convertValidated converts and validates a decoded scenario, returning
// every problem with the key path as written.
func convertValidated(f *fileScenario) (*lgr.Scenario, []error) {
	s, c := convert(f)
	errs := c.errs
	if err := s.Validate(); err != nil {
		// A field that failed to convert is nil; do not report it missing
		// too. Paths the converter renamed are given back as written.
		for _, e := range fielderr.Flatten(err) {
			e = c.asWritten(e)
			if !covered(e, errs) {
				errs = append(errs, e)
			}
		}
	}
	return s, errs
}

func readChain(ctx context.Context, src source, name string, h interface{ Write([]byte) (int, error) }, depth int) (map[string]any, map[string]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if depth > 8 {
		return nil, nil, fielderr.InFile(name, fielderr.New("extends", "chain is more than 8 files deep (a loop?)"))
	}
	data, err := src.read(name)
	if err != nil {
		return nil, nil, fielderr.InFile(name, err)
	}
	h.Write(data)
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	m, notes, err := parseNoted(data, ext)
	if err != nil {
		return nil, nil, fielderr.InFile(name, err)
	}
	var key string
	for k := range m {
		if lower(k) == "extends" {
			key = k
		}
	}
	if key == "" {
		return m, notes, nil
	}
	baseName, isStr := m[key].(string)
	if !isStr || baseName == "" {
		return nil, nil, fielderr.InFile(name, fielderr.New(key, "expected the path of a base scenario file"))
	}
	delete(m, key)
	baseFile := src.resolve(name, baseName)
	switch strings.ToLower(filepath.Ext(baseFile)) {
	case ".yaml", ".yml", ".json", ".toml":
	default:
		// Never read (and then echo in messages) a file that is not a
		// scenario, such as /etc/shadow.
		return nil, nil, fielderr.InFile(name, fielderr.New(key, "%s is not a scenario file: a base scenario is a .yaml, .yml, .json or .toml file", baseFile))
	}
	if _, err := src.read(baseFile); err != nil {
		return nil, nil, fielderr.InFile(name, fielderr.New(key, "cannot read %s: %v", baseFile, err))
	}
	bm, bnotes, err := readChain(ctx, src, baseFile, h, depth+1)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, err
		}
		// The problem is in the base; name the file that extends it too.
		return nil, nil, &fielderr.FileError{File: name, Err: &fielderr.FieldError{Path: key, Err: err}}
	}
	return merge(bm, m), mergeNotes(bnotes, notes, m), nil
}

// covered reports whether e's key path is at or below the path of one of
// errs (or e repeats one of errs).
func covered(e error, errs []error) bool {
	p, ok := fielderr.PathOf(e)
	if !ok {
		return false
	}
	for _, o := range errs {
		op, ok := fielderr.PathOf(o)
		if !ok {
			continue
		}
		if fielderr.Covers(op, p) || fielderr.Covers(p, op) || e.Error() == o.Error() {
			return true
		}
	}
	return false
}

// converter turns file values into model values, collecting errors. Where
// a model field comes from a differently named key (per_kind becomes
// counts, discount_rate becomes discount[0]), it records the model path and
// the key the user wrote, so that validation errors name the latter.
type converter struct {
	errs []error
	// written maps a model key path to the user's key path.
	written map[string]string
	// dists holds each distribution built so far by its spec's key
	// (specKey): distributions are immutable, so inputs written alike share
	// one (a file of 20,000 items of "1m to 2m" builds one inverse table,
	// not 20,000).
	dists map[string]dist.Distribution
}

func (c *converter) fail(path, format string, a ...any) {
	c.errs = append(c.errs, fielderr.New(path, format, a...))
}

// alias records that the model's path stands for the user's written path.
func (c *converter) alias(model, written string) {
	if c.written == nil {
		c.written = map[string]string{}
	}
	c.written[model] = written
}

// asWritten renames e's path to the one the user wrote, if the converter
// renamed it. Where several renamed paths cover it (discount[0] and
// discount[0].rate both stand for discount_rate), the longest, the most
// specific, decides: the same message every time, whatever the map's order.
func (c *converter) asWritten(e error) error {
	var fe *fielderr.FieldError
	if !errors.As(e, &fe) {
		return e
	}
	best := ""
	for model := range c.written {
		if fielderr.Covers(model, fe.Path) && len(model) > len(best) {
			best = model
		}
	}
	if best == "" {
		return e
	}
	return &fielderr.FieldError{Path: c.written[best] + fe.Path[len(best):], Err: fe.Err}
}

func (c *converter) dist(path string, v any) dist.Distribution {
	if v == nil {
		return nil
	}
	key := specKey(v)
	if d, ok := c.dists[key]; ok {
		return d
	}
	d, err := notation.FromSpec(v, Reference)
	if err != nil {
		c.errs = append(c.errs, fielderr.Flatten(fielderr.Under(path, err))...)
		return nil
	}
	if c.dists == nil {
		c.dists = map[string]dist.Distribution{}
	}
	c.dists[key] = d
	return d
}

// specKey is a text that two distribution specs share only if they are the
// same value of the same types (1 and 1.0 differ; maps by sorted key).
func specKey(v any) string {
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			b.WriteByte('{')
			for _, k := range slices.Sorted(maps.Keys(x)) {
				b.WriteString(strconv.Quote(k))
				b.WriteByte(':')
				walk(x[k])
				b.WriteByte(',')
			}
			b.WriteByte('}')
		case []any:
			b.WriteByte('[')
			for _, e := range x {
				walk(e)
				b.WriteByte(',')
			}
			b.WriteByte(']')
		case string:
			b.WriteString(strconv.Quote(x))
		case float64:
			b.WriteString("f" + strconv.FormatFloat(x, 'g', -1, 64))
		default:
			fmt.Fprintf(&b, "%T:%v", v, v)
		}
	}
	walk(v)
	return b.String()
}

// optimismBias reads optimism_bias: a fraction ("15%"), or a Green Book
// project type and bound, {category: equipment_development, bound: upper}.
func (c *converter) optimismBias(v any) float64 {
	m, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			return 0
		}
		f, err := notation.Number(v)
		if err != nil {
			c.fail("optimism_bias", "%v", err)
		}
		return f
	}
	var cats []string
	for k := range lgr.GreenBookOptimismBias {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	for k := range m {
		if k != "category" && k != "bound" {
			c.fail("optimism_bias."+k, "unknown key%s", suggest.Hint(k, []string{"category", "bound"}))
		}
	}
	cat, _ := m["category"].(string)
	b, ok := lgr.GreenBookOptimismBias[cat]
	if !ok {
		c.fail("optimism_bias.category", "%q is not a Green Book project type%s (use %s)", cat, suggest.Hint(cat, cats), strings.Join(cats, ", "))
		return 0
	}
	switch m["bound"] {
	case "upper", nil:
		return b[0]
	case "lower":
		return b[1]
	}
	c.fail("optimism_bias.bound", "must be upper or lower (got %v)", m["bound"])
	return 0
}

// ramp reads a ramp in its named form (fileRamp): cumulative shares are
// kept, increments are summed; a profile that does not end at 1 is an error
// unless it says partial: true (a ramp written as yearly increments and read
// as cumulative would otherwise cap the saving silently).
func (c *converter) ramp(path string, r *fileRamp) lgr.Ramp {
	if r == nil {
		return lgr.Ramp{}
	}
	out := lgr.Ramp{Start: r.Start, Years: r.Years}
	forms := 0
	var key string
	for _, f := range []struct {
		k string
		v []float64
	}{{"profile", r.Profile}, {"cumulative", r.Cumulative}, {"increments", r.Increments}} {
		if len(f.v) > 0 {
			forms++
			key = f.k
		}
	}
	if forms > 1 {
		c.fail(path, "give one of profile, cumulative or increments")
		return out
	}
	if forms == 1 && r.Years != 0 {
		c.fail(path+".years", "give years or a %s profile, not both", key)
	}
	if forms == 0 && r.Partial {
		c.fail(path+".partial", "applies to a cumulative or increments profile; this ramp has none")
	}
	switch key {
	case "profile", "cumulative":
		out.Profile = append([]float64(nil), r.Profile...)
		if key == "cumulative" {
			out.Profile = append([]float64(nil), r.Cumulative...)
		}
		for i := 1; i < len(out.Profile); i++ {
			if out.Profile[i] < out.Profile[i-1] && !r.Partial {
				c.fail(fmt.Sprintf("%s.%s[%d]", path, key, i), "cumulative shares must not fall (%g after %g); for yearly increments write increments:", out.Profile[i], out.Profile[i-1])
				break
			}
		}
		for i, v := range out.Profile {
			if v > 1+1e-9 {
				c.fail(fmt.Sprintf("%s.%s[%d]", path, key, i), "a cumulative share of full effect must be at most 1 (got %g)", v)
				break
			}
		}
		if last := out.Profile[len(out.Profile)-1]; math.Abs(last-1) > 1e-9 && !r.Partial {
			c.fail(path+"."+key, "read as cumulative shares of full effect, it ends at %g, not 1; write increments: if these are yearly increments, or add partial: true if the effect really stops at %g", last, last)
		}
	case "increments":
		tot, bad := 0.0, false
		for i, v := range r.Increments {
			if !(v >= 0) || math.IsInf(v, 0) {
				c.fail(fmt.Sprintf("%s.increments[%d]", path, i), "a yearly increment must be a non-negative share (got %v)", v)
				bad = true
			}
			tot += v
			out.Profile = append(out.Profile, tot)
		}
		switch {
		case bad:
			out.Profile = nil
		case tot > 1+1e-9:
			c.fail(path+".increments", "yearly increments sum to %g; the share of full effect cannot pass 1", tot)
		case math.Abs(tot-1) > 1e-9 && !r.Partial:
			c.fail(path+".increments", "yearly increments sum to %g, not 1; add partial: true if the effect really stops at %g", tot, tot)
		}
	}
	return out
}

// scale reads a saving's option scale: a number, or a map from the number
// of successors to a number ({1: 1, 2: 0.8, 3: 0.65}).
func (c *converter) scale(path string, v any, successors int) float64 {
	if v == nil {
		return 0
	}
	if m, ok := v.(map[string]any); ok {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if n, err := strconv.Atoi(k); err != nil || n < 1 {
				c.fail(path+"."+k, "unknown key: the keys of a scale map are numbers of successors (1, 2, 3, ...)")
			}
		}
		key := strconv.Itoa(successors)
		x, ok := m[key]
		if !ok {
			c.fail(path, "no scale for %d successor(s) (keys are numbers of successors)", successors)
			return 0
		}
		return c.scaleValue(path+"."+key, x)
	}
	return c.scaleValue(path, v)
}

// scaleValue reads one scale factor. A written 0 is an error: the model
// reads a zero Scale as "not given" (1), and a line that saves nothing is
// better left out.
func (c *converter) scaleValue(path string, v any) float64 {
	f, err := notation.Number(v)
	if err != nil {
		c.fail(path, "%v", err)
		return 0
	}
	if f == 0 {
		c.fail(path, "must be a positive factor (got 0); leave the saving out instead")
	}
	return f
}

// Reference resolves {reference: NAME} distributions: the named priors of
// the calibration package (devolve calibrate --list).
var Reference notation.Resolver = calibration.Reference

func convert(f *fileScenario) (*lgr.Scenario, *converter) {
	c := &converter{}
	s := &lgr.Scenario{Name: f.Name, Description: f.Description, VestingYear: f.VestingYear,
		PriceBase: f.PriceBase}
	if f.Horizon != nil {
		// 0 in the model means "the default"; written, it is an error.
		if *f.Horizon < 1 || *f.Horizon > 100 {
			c.fail("horizon", "must be between 1 and 100 years (got %d)", *f.Horizon)
		} else {
			s.Horizon = *f.Horizon
		}
	}
	s.OptimismBias = c.optimismBias(f.OptimismBias)
	if f.Inflation != nil {
		if d := c.dist("inflation", f.Inflation); d != nil {
			if lo, hi := d.Quantile(0), d.Quantile(1); !(lo > -0.5 && hi < 1) {
				c.fail("inflation", "an annual rate must lie between -50%% and 100%% (got a range of %g to %g)", lo, hi)
			} else {
				s.Inflation, s.InflationText = d, "inflation "+describeSpec(f.Inflation)+" a year from the price base (the scenario's)"
			}
		}
	}
	if f.DiscountRate != nil && len(f.Discount) > 0 {
		c.fail("discount_rate", "give discount_rate or discount, not both")
	}
	if f.DiscountRate != nil {
		s.Discount = []lgr.DiscountBand{{FromYear: 0, Rate: *f.DiscountRate}}
		c.alias("discount[0].rate", "discount_rate")
		c.alias("discount[0]", "discount_rate")
		f.Discount = nil
	}
	for _, b := range f.Discount {
		s.Discount = append(s.Discount, lgr.DiscountBand{FromYear: b.FromYear, Rate: b.Rate})
	}
	s.ITOverrun = c.dist("it_overrun", f.ITOverrun)
	s.OtherOverrun = c.dist("other_overrun", f.OtherOverrun)
	s.SavingsRealisation = c.dist("savings_realisation", f.Realisation)
	kinds := map[string]lgr.Kind{}
	for i, p := range f.Predecessors {
		path := fmt.Sprintf("predecessors[%d]", i)
		s.Predecessors = append(s.Predecessors, lgr.Predecessor{
			Name: p.Name, Kind: lgr.Kind(lower(p.Kind)), Population: p.Population,
			NetExpenditure:     c.dist(path+".net_expenditure", p.NetExpenditure),
			StaffFTE:           c.dist(path+".staff_fte", p.StaffFTE),
			BackOfficeFTE:      c.dist(path+".back_office_fte", p.BackOfficeFTE),
			CustomerContactFTE: c.dist(path+".customer_contact_fte", p.CustomerContactFTE),
			Councillors:        p.Councillors,
		})
		kinds[lower(p.Name)] = lgr.Kind(lower(p.Kind))
	}
	for _, sc := range f.Successors {
		s.Successors = append(s.Successors, lgr.Successor{Name: sc.Name, Predecessors: sc.Predecessors, Shares: sc.Shares, Councillors: sc.Councillors})
	}
	for i, sy := range f.Systems {
		path := fmt.Sprintf("systems[%d]", i)
		counts := map[string]int{}
		perKind := map[string]string{} // lower-case kind -> key as written
		for _, k := range slices.Sorted(maps.Keys(sy.PerKind)) {
			switch lower(k) {
			case "county", "district", "unitary":
				if prev, dup := perKind[lower(k)]; dup {
					c.fail(path+".per_kind."+k, "%q and %q are the same kind", prev, k)
				}
				perKind[lower(k)] = k
			default:
				c.fail(path+".per_kind."+k, "unknown kind%s (use county, district or unitary)", suggest.Hint(lower(k), []string{"county", "district", "unitary"}))
			}
			if n := sy.PerKind[k]; n < 0 {
				c.fail(path+".per_kind."+k, "must not be negative (got %d)", n)
			}
		}
		for _, p := range f.Predecessors {
			if k, ok := perKind[lower(p.Kind)]; ok && p.Name != "" {
				counts[p.Name] = sy.PerKind[k]
				c.alias(path+".counts."+p.Name, path+".per_kind."+k)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(sy.Counts)) {
			for pn := range counts {
				if strings.EqualFold(pn, name) {
					delete(counts, pn)
				}
			}
			counts[name] = sy.Counts[name]
			delete(c.written, path+".counts."+name)
		}
		var inv []lgr.InventoryRow
		for j, row := range sy.Inventory {
			rp := fmt.Sprintf("%s.inventory[%d]", path, j)
			inv = append(inv, lgr.InventoryRow{Predecessor: row.Predecessor, Product: row.Product,
				Licence: c.dist(rp+".licence", row.Licence), ContractEnd: c.dist(rp+".contract_end", row.ContractEnd)})
		}
		if len(inv) > 0 && len(sy.PerKind) > 0 {
			c.fail(path+".inventory", "give inventory rows or per_kind counts, not both")
		}
		switch lower(sy.MigrationPer) {
		case "", "system", "consolidation":
		default:
			c.fail(path+".migration_per", "%q%s: want system (migration costs per system migrated, the default) or consolidation (per successor consolidating the category)", sy.MigrationPer, suggest.Hint(lower(sy.MigrationPer), []string{"system", "consolidation"}))
		}
		s.Systems = append(s.Systems, lgr.SystemCategory{
			Name: sy.Name, Counts: counts, Target: sy.Target, Inventory: inv,
			Licence:          c.dist(path+".licence", sy.Licence),
			Migration:        c.dist(path+".migration", sy.Migration),
			ContractEnd:      c.dist(path+".contract_end", sy.ContractEnd),
			MigrationYears:   c.dist(path+".migration_years", sy.MigrationYears),
			DualRunning:      c.dist(path+".dual_running", sy.DualRunning),
			ExitFee:          c.dist(path+".exit_fee", sy.ExitFee),
			NotIT:            sy.IT != nil && !*sy.IT,
			PerConsolidation: lower(sy.MigrationPer) == "consolidation",
		})
	}
	for i, w := range f.Workforce {
		path := fmt.Sprintf("workforce[%d]", i)
		s.Workforce = append(s.Workforce, lgr.WorkforceFunction{
			Name:              w.Name,
			FTE:               c.dist(path+".fte", w.FTE),
			Reduction:         c.dist(path+".reduction", w.Reduction),
			CostPerFTE:        c.dist(path+".cost_per_fte", w.CostPerFTE),
			RedundancyPerFTE:  c.dist(path+".redundancy_per_fte", w.RedundancyPerFTE),
			Ramp:              c.ramp(path+".ramp", w.Ramp),
			RedundancyProfile: w.RedundancyProfile,
		})
	}
	if d := f.Democracy; d != nil {
		s.Democracy = &lgr.Democracy{CouncillorsBefore: d.CouncillorsBefore, CouncillorsAfter: d.CouncillorsAfter,
			SeatsRemoved: c.dist("democracy.seats_removed", d.SeatsRemoved),
			Allowance:    c.dist("democracy.allowance", d.Allowance), ElectionSaving: c.dist("democracy.election_saving", d.ElectionSaving), Start: d.Start}
	}
	for i, it := range f.Items {
		path := fmt.Sprintf("items[%d]", i)
		benefit := false
		switch lower(it.Kind) {
		case "cost", "":
		case "benefit", "saving":
			benefit = true
		default:
			c.fail(path+".kind", "must be cost or benefit (got %q)", it.Kind)
		}
		s.Items = append(s.Items, lgr.Item{Name: it.Name, Benefit: benefit, Amount: c.dist(path+".amount", it.Amount),
			Recurring: it.Recurring, Start: it.Start, Profile: it.Profile, Ramp: c.ramp(path+".ramp", it.Ramp),
			NonCashable: it.Cashable != nil && !*it.Cashable, IT: it.IT, Successor: it.Successor})
	}
	s.RampStretch = c.dist("ramp_stretch", f.RampStretch)
	s.MigrationSlip = c.dist("migration_slip", f.Slip)
	for i, b := range f.CostBases {
		s.CostBases = append(s.CostBases, lgr.CostBase{Name: b.Name, Amount: c.dist(fmt.Sprintf("cost_bases[%d].amount", i), b.Amount)})
	}
	for i, sv := range f.Savings {
		path := fmt.Sprintf("savings[%d]", i)
		s.Savings = append(s.Savings, lgr.Saving{Name: sv.Name, Base: sv.Base,
			Amount: c.dist(path+".amount", sv.Amount), Reduction: c.dist(path+".reduction", sv.Reduction),
			Scale: c.scale(path+".scale", sv.Scale, len(f.Successors)), Ramp: c.ramp(path+".ramp", sv.Ramp),
			EnabledBy: sv.EnabledBy, CostToAchieve: c.dist(path+".cost_to_achieve", sv.CostToAchieve),
			CostProfile: sv.CostProfile, Successor: sv.Successor})
	}
	for i, r := range f.Risks {
		path := fmt.Sprintf("risks[%d]", i)
		if r.Probability == nil {
			c.fail(path+".probability", "missing")
			r.Probability = new(float64)
		}
		s.Risks = append(s.Risks, lgr.Risk{Name: r.Name, Probability: *r.Probability, Cost: c.dist(path+".cost", r.Cost),
			Year: r.Year, Delay: c.dist(path+".delay", r.Delay), Hits: r.Hits})
	}
	for i, q := range f.Quality {
		path := fmt.Sprintf("quality[%d]", i)
		ind := lgr.Indicator{Name: q.Name, Unit: q.Unit, LowerIsBetter: q.LowerIsBetter,
			Baseline: c.dist(path+".baseline", q.Baseline), Effect: c.dist(path+".effect", q.Effect),
			Ramp: c.ramp(path+".ramp", q.Ramp), Disruption: c.dist(path+".disruption", q.Disruption),
			ValuePerUnit: c.dist(path+".value_per_unit", q.ValuePerUnit), Cashable: q.Cashable}
		if len(q.Baselines) > 0 {
			ind.Baselines = map[string]dist.Distribution{}
			for k, v := range q.Baselines {
				ind.Baselines[k] = c.dist(path+".baselines."+k, v)
			}
		}
		if cs := q.ChannelShift; cs != nil {
			ind.ChannelShift = &lgr.ChannelShift{
				ContactsPerYear: c.dist(path+".channel_shift.contacts_per_year", cs.ContactsPerYear),
				CostOffline:     c.dist(path+".channel_shift.cost_offline", cs.CostOffline),
				CostOnline:      c.dist(path+".channel_shift.cost_online", cs.CostOnline)}
		}
		s.Quality = append(s.Quality, ind)
	}
	for i, fc := range f.Correlations {
		path := fmt.Sprintf("correlations[%d]", i)
		lc := lgr.Correlation{Between: fc.Between, Group: fc.Group, Inputs: fc.Inputs, Matrix: fc.Matrix}
		switch {
		case fc.Rank != nil && len(fc.Matrix) > 0:
			c.fail(path+".rank", "give rank with between or group, not with a matrix")
		case fc.Rank != nil:
			lc.Rank = *fc.Rank
		case len(fc.Between) > 0 || len(fc.Group) > 0:
			c.fail(path+".rank", "missing: the rank (Spearman) correlation, e.g. 0.6")
		}
		s.Correlations = append(s.Correlations, lc)
	}
	s.CorrelationFix = f.CorrelationFix
	return s, c
}

// Compile compiles the loaded scenario, naming the file in every error.
func (l *Loaded) Compile() (*lgr.Compiled, error) { return l.CompileContext(context.Background()) }

// CompileContext is Compile, stopping with ctx's error when ctx is done.
func (l *Loaded) CompileContext(ctx context.Context) (*lgr.Compiled, error) {
	c, err := lgr.CompileContext(ctx, l.Scenario)
	if err != nil {
		return nil, fielderr.InFile(l.Source, err)
	}
	return c, nil
}

// describeSpec writes a distribution as the scenario gave it, for stating
// it in outputs: "pert(min 2%, mode 3%, max 5%)", or the value itself.
func describeSpec(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Sprint(v)
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if k != "dist" {
			parts = append(parts, k+" "+fmt.Sprint(m[k]))
		}
	}
	return fmt.Sprint(m["dist"]) + "(" + strings.Join(parts, ", ") + ")"
}
