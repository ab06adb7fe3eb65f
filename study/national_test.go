package study

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/internal/fielderr"
)

// TestNationalConfigCheck: every bad configuration is a FieldError at its
// flag, found before any area is built (regressions: an unknown --area, or
// more unitaries than an area has districts, used to fail only once the run
// had started, with exit 1; kent=2 with Kent=3 picked one at random).
func TestNationalConfigCheck(t *testing.T) {
	for _, c := range []struct {
		cfg  NationalConfig
		want string
	}{
		{NationalConfig{Unitaries: 1, PerArea: map[string]int{"Unknown": 2}}, "--area Unknown: no two-tier area"},
		{NationalConfig{Unitaries: 1, PerArea: map[string]int{"Kent": 9}}, "--area Kent: Kent can have 1 to 5 unitaries"},
		{NationalConfig{Unitaries: 1, PerArea: map[string]int{"Kent": 2, "kent": 3}}, "names the same area"},
		{NationalConfig{Unitaries: 1, PerArea: map[string]int{"Cumbria": 2}}, "--area Cumbria: no two-tier area"}, // reorganised in 2023
		{NationalConfig{Unitaries: 0}, "--unitaries: must be between 1 and 5"},
		{NationalConfig{Unitaries: 1, MinResidents: -1}, "--min-residents"},
		{NationalConfig{Unitaries: 1, MinResidents: 1e12}, "--min-residents"},
		{NationalConfig{Unitaries: 1, MinResidents: math.NaN()}, "--min-residents"},
		{NationalConfig{Unitaries: 1, Integration: "conected"}, `--integration: must be contract, connected or federated (got "conected") (did you mean "connected"?)`},
	} {
		err := c.cfg.Check()
		var fe *fielderr.FieldError
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.As(err, &fe) {
			t.Errorf("%+v: got %v, want a FieldError with %q", c.cfg, err, c.want)
		}
	}
	if err := (NationalConfig{Unitaries: 2, PerArea: map[string]int{"Kent": 5}, MinResidents: 0, Integration: area.Connected}).Check(); err != nil {
		t.Errorf("valid configuration rejected: %v", err)
	}
}
