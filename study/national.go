package study

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/suggest"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// NationalConfig says how every area is reorganised in a national run.
type NationalConfig struct {
	// Unitaries per area (1-5; capped at an area's number of districts),
	// unless PerArea names the area or MinResidents is set.
	Unitaries int
	// PerArea gives some areas their own number of unitaries.
	PerArea map[string]int
	// MinResidents, if > 0, gives each area the largest number of
	// balanced unitaries (at most 5) whose every unitary has at least this
	// many residents (at least one).
	MinResidents float64
	// Integration is the strategy of every area (area.AreaOptions.Integration).
	Integration string
}

// Describe says the configuration in words.
func (c NationalConfig) Describe() string {
	var s string
	switch {
	case c.MinResidents > 0:
		s = fmt.Sprintf("every unitary at least %.0f residents", c.MinResidents)
	default:
		s = fmt.Sprintf("%d unitar%s per area", c.Unitaries, map[bool]string{true: "y", false: "ies"}[c.Unitaries == 1])
	}
	if len(c.PerArea) > 0 {
		var ks []string
		for k, v := range c.PerArea {
			ks = append(ks, fmt.Sprintf("%s %d", k, v))
		}
		sort.Strings(ks)
		s += " (" + strings.Join(ks, ", ") + ")"
	}
	if c.Integration != "" && c.Integration != area.Contract {
		s += ", " + c.Integration + " integration"
	}
	return s
}

// unitariesFor is the number of unitaries area a gets under c.
func (c NationalConfig) unitariesFor(a area.Area) (int, error) {
	for name, k := range c.PerArea {
		if strings.EqualFold(name, a.Name) {
			return k, nil
		}
	}
	if c.MinResidents > 0 {
		best := 1
		for k := 2; k <= min(5, len(a.Districts)); k++ {
			if smallestBalanced(a, k) >= c.MinResidents {
				best = k
			}
		}
		return best, nil
	}
	return min(c.Unitaries, len(a.Districts)), nil
}

// smallestBalanced is the population of the smallest of k balanced
// successors (area.BuildArea's rule: largest district first into the smallest).
func smallestBalanced(a area.Area, k int) float64 {
	pops := make([]float64, 0, len(a.Districts))
	for _, d := range a.Districts {
		pops = append(pops, d.Population)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(pops)))
	sums := make([]float64, k)
	for _, p := range pops {
		s := 0
		for j := range sums {
			if sums[j] < sums[s] {
				s = j
			}
		}
		sums[s] += p
	}
	m := sums[0]
	for _, v := range sums {
		m = min(m, v)
	}
	return m
}

// Check reports every problem with the configuration at once, each a
// fielderr.FieldError whose path is the flag (--area Kent, --unitaries,
// --min-residents, --integration): an area that is not one of the 21, more
// unitaries than an area has districts, a rule no number of residents can
// meet (above lgr.MaxPopulation), an unknown integration strategy.
func (c NationalConfig) Check() error {
	areas, err := area.Areas()
	if err != nil {
		return err
	}
	var errs []error
	if c.Unitaries < 1 || c.Unitaries > 5 {
		errs = append(errs, fielderr.New("--unitaries", "must be between 1 and 5 (got %d)", c.Unitaries))
	}
	if !(c.MinResidents >= 0 && c.MinResidents <= lgr.MaxPopulation) {
		errs = append(errs, fielderr.New("--min-residents", "must be a number of residents from 0 to %g (got %v)", lgr.MaxPopulation, c.MinResidents))
	}
	switch c.Integration {
	case "", area.Contract, area.Connected, area.Federated:
	default:
		errs = append(errs, fielderr.New("--integration", "must be %s, %s or %s (got %q)%s", area.Contract, area.Connected, area.Federated, c.Integration,
			suggest.Hint(c.Integration, []string{area.Contract, area.Connected, area.Federated})))
	}
	byName := map[string]area.Area{}
	var names []string
	for _, a := range areas {
		if !a.Reorganised {
			byName[strings.ToLower(a.Name)] = a
			names = append(names, a.Name)
		}
	}
	seen := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(c.PerArea)) {
		k := c.PerArea[name]
		a, ok := byName[strings.ToLower(strings.TrimSpace(name))]
		if prev, dup := seen[strings.ToLower(a.Name)]; ok && dup {
			errs = append(errs, fielderr.New("--area "+name, "names the same area as --area %s", prev))
		}
		seen[strings.ToLower(a.Name)] = name
		switch {
		case !ok:
			errs = append(errs, fielderr.New("--area "+name, "no two-tier area of that name%s (devolve areas lists them)", suggest.Hint(name, names)))
		case k < 1 || k > min(5, len(a.Districts)):
			errs = append(errs, fielderr.New("--area "+name, "%s can have 1 to %d unitaries (it has %d districts; got %d)", a.Name, min(5, len(a.Districts)), len(a.Districts), k))
		}
	}
	return errors.Join(errs...)
}

// NationalAreas builds and compiles every one of the 21 areas (not the three
// reorganised in 2023) as cfg says.
func NationalAreas(cfg NationalConfig) ([]lgr.NationalArea, error) {
	out, _, err := nationalAreas(cfg)
	return out, err
}

// nationalAreas is NationalAreas with each area's generated scenario.
func nationalAreas(cfg NationalConfig) ([]lgr.NationalArea, []*area.Generated, error) {
	if err := cfg.Check(); err != nil {
		return nil, nil, err
	}
	areas, err := area.Areas()
	if err != nil {
		return nil, nil, err
	}
	var out []lgr.NationalArea
	var gens []*area.Generated
	for _, a := range areas {
		if a.Reorganised {
			continue
		}
		k, err := cfg.unitariesFor(a)
		if err != nil {
			return nil, nil, err
		}
		g, err := area.BuildArea(a, area.AreaOptions{Unitaries: k, Integration: cfg.Integration})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		c, err := g.Compile()
		if err != nil {
			return nil, nil, err
		}
		out = append(out, lgr.NationalArea{Name: a.Name, Population: a.Population, Compiled: c, SHA256: g.SHA256})
		gens = append(gens, g)
	}
	return out, gens, nil
}

// RunNational builds the areas as cfg says and runs them (lgr.RunNational).
func RunNational(ctx context.Context, cfg NationalConfig, opt lgr.NationalOptions) (*lgr.National, error) {
	areas, err := NationalAreas(cfg)
	if err != nil {
		return nil, err
	}
	opt.Config = cfg.Describe()
	if cfg.MinResidents == 0 && len(cfg.PerArea) == 0 {
		opt.Unitaries = cfg.Unitaries
	}
	return lgr.RunNational(ctx, areas, opt)
}
