package lgr

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/devolve-lgr/devolve/model/dist"
)

// Unit is what an input's values measure, for labels and number formats.
// The constants below are the units the compiler gives; an indicator's
// inputs carry the indicator's own unit text (Indicator.Unit).
type Unit string

// Units of model inputs.
const (
	// Pounds: a one-off sum, £ (real terms, the scenario's price base).
	Pounds Unit = "£"
	// PoundsPerYear: an annual sum, £ a year.
	PoundsPerYear Unit = "£ a year"
	// Share: a fraction (0.05 is 5%).
	Share Unit = "share"
	// Multiplier: a factor on a planned figure (1 = as planned).
	Multiplier Unit = "×"
	// YearAfterVesting: a year counted from vesting day (year 1 is the
	// first year after vesting).
	YearAfterVesting Unit = "year after vesting"
	// Years: a duration in years.
	Years Unit = "years"
	// Happens: 1 if an event happens in a trial, 0 if not.
	Happens Unit = "yes/no"
	// FTE: full-time-equivalent staff.
	FTE Unit = "FTE"
	// Seats: councillor seats.
	Seats Unit = "seats"
	// ContactsPerYear: customer contacts a year.
	ContactsPerYear Unit = "contacts a year"
	// PoundsPerContact: £ a contact.
	PoundsPerContact Unit = "£ a contact"
	// PoundsPerPound: £ of one-off cost per £1 of annual saving.
	PoundsPerPound Unit = "£ per £1 of annual saving"
)

// Whole reports whether values in u are whole numbers: a yes/no, a count
// of seats, a year or a number of years (the model rounds delays to whole
// years).
func (u Unit) Whole() bool {
	return u == Happens || u == Seats || u == Years || u == YearAfterVesting
}

// Money reports whether values in u are pounds (one-off or a year).
func (u Unit) Money() bool { return u == Pounds || u == PoundsPerYear || u == PoundsPerContact }

// InputInfo is everything known about one model input, registered once by
// the compiler with the input (Compiled.Inputs, in model input order).
type InputInfo struct {
	// Name is the model input's name (engine.Input.Name): scenarios that
	// share a name share its draws (common random numbers). It is an
	// identifier, not for people: Path and Label are.
	Name string
	// Path is the key path, as written in the scenario file, of the
	// setting the input comes from: "systems[0].licence",
	// "cost_bases[2].amount", "risks[1].probability". For a built-in
	// default it is the key that would set it ("it_overrun").
	Path string
	// Label says in plain words what the input is, e.g. "Finance ERP
	// systems: licence, each".
	Label string
	// Unit is what its values measure.
	Unit Unit
	// Source is the scenario's note on the input (a file comment at Path,
	// at its list entry or above its section), or for a built-in default
	// where the default comes from; "" when the scenario gives none.
	Source string
	// Judgement is true when Source marks the input as JUDGEMENT
	// (unsourced): an analyst's choice rather than a figure from evidence.
	Judgement bool
	// Default is true when the scenario does not set the input and the
	// built-in default is used.
	Default bool
}

// Evidence describes the input's footing in a few words: "JUDGEMENT",
// "sourced", "built-in default" or "no source given".
func (in InputInfo) Evidence() string {
	switch {
	case in.Judgement:
		return "JUDGEMENT"
	case in.Default:
		return "built-in default"
	case in.Source != "":
		return "sourced"
	}
	return "no source given"
}

// Input returns what is known about the model input named name, and false
// when the model has no such input.
func (c *Compiled) Input(name string) (InputInfo, bool) {
	for _, in := range c.Inputs {
		if in.Name == name {
			return in, true
		}
	}
	return InputInfo{}, false
}

// defaultSources names where each built-in default comes from
// (defaults.go has the detail).
var defaultSources = map[string]string{
	"it_overrun":          "built-in default: lognormal body (median 1.1) with a one-in-six Pareto tail, after Flyvbjerg and Budzier's IT project overruns (docs/MODEL.md)",
	"other_overrun":       "built-in default: EVIDENCE.md §9's range, median 1.05, P90 1.5 (no one-off cost outturn is measured or audited, so there is nothing to fit; docs/MODEL.md)",
	"savings_realisation": "built-in default, measured: fitted to 16 measured savings (devolve evidence, years 1-5) against their business cases (docs/MODEL.md)",
	"ramp_stretch":        "built-in default, fitted with the realisation factor to the 16 measured savings' means over years 1-5 (devolve evidence); barely informed by them, so in effect its prior, the plan's own speed (docs/MODEL.md)",
	"contract_end":        "built-in default: uniform on years 1-5 (legacy systems ran 2-6 years after past reorganisations, docs/MODEL.md)",
}

// note finds the scenario's note on the setting at path: the note at path
// itself, else its list entry's note (unless that note starts with the
// name of another of the entry's keys, "licence JUDGEMENT ...", and so is
// about that key alone), else the note above its section.
func (s *Scenario) note(path string) string {
	if len(s.Notes) == 0 || path == "" {
		return ""
	}
	p := strings.ToLower(path)
	if n, ok := s.Notes[p]; ok {
		return n
	}
	// The list entry: "systems[0]" of "systems[0].inventory[2].licence"
	// is tried after "systems[0].inventory[2]".
	for i := strings.LastIndex(p, "]"); i > 0; i = strings.LastIndex(p[:i], "]") {
		entry, field := p[:i+1], strings.TrimPrefix(p[i+1:], ".")
		n, ok := s.Notes[entry]
		if !ok {
			continue
		}
		if first := leadingWord(n); first != "" && first != firstKey(field) && isKey(first) {
			continue
		}
		return n
	}
	if i := strings.IndexAny(p, ".["); i > 0 {
		return s.Notes[p[:i]]
	}
	return ""
}

// leadingWord is the note's first word if it looks like a key (lower case,
// letters and underscores, followed by a space or a colon).
func leadingWord(n string) string {
	end := strings.IndexFunc(n, func(r rune) bool { return !(unicode.IsLower(r) || r == '_') })
	if end <= 0 || (n[end] != ' ' && n[end] != ':') {
		return ""
	}
	return n[:end]
}

func firstKey(field string) string {
	if i := strings.IndexAny(field, ".["); i >= 0 {
		return field[:i]
	}
	return field
}

// isKey reports whether w is a key of a list entry that holds inputs.
func isKey(w string) bool {
	switch w {
	case "licence", "migration", "contract_end", "migration_years", "dual_running", "exit_fee",
		"amount", "reduction", "ramp", "cost_to_achieve", "cost_profile", "scale",
		"fte", "cost_per_fte", "redundancy_per_fte", "probability", "cost", "delay",
		"baseline", "baselines", "effect", "disruption", "value_per_unit", "channel_shift",
		"net_expenditure", "staff_fte", "back_office_fte", "customer_contact_fte":
		return true
	}
	return false
}

// isJudgement reports whether a note marks its input as judgement.
func isJudgement(note string) bool {
	return strings.Contains(strings.ToLower(note), "judgement")
}

// Words turns a name from a scenario ("finance_erp") into words ("Finance
// ERP"), keeping acronyms in capitals.
func Words(name string) string { return words(name) }

func words(name string) string {
	fields := strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == '-' })
	for i, f := range fields {
		switch strings.ToLower(f) {
		case "erp", "hr", "it", "crm", "gis", "fte", "ict", "ai", "sap", "hq":
			fields[i] = strings.ToUpper(f)
			continue
		case "env":
			fields[i] = "environmental"
			continue
		}
		if i == 0 {
			r := []rune(f)
			r[0] = unicode.ToUpper(r[0])
			fields[i] = string(r)
		}
	}
	return strings.Join(fields, " ")
}

// LineInputs returns, for each line, the indices of the inputs that belong
// to it: those whose key path lies under the line's Path, given to the line
// with the longest such Path ("systems[0].licence" to the licence line, not
// the migration line of systems[0]). Inputs shared by many lines (overruns,
// realisation, cost bases) belong to none.
func (c *Compiled) LineInputs() [][]int {
	out := make([][]int, len(c.Lines))
	under := func(p, root string) bool {
		return root != "" && (p == root || strings.HasPrefix(p, root+".") || strings.HasPrefix(p, root+"["))
	}
	for j, in := range c.Inputs {
		best, bestLen := -1, -1
		for l, ln := range c.Lines {
			if under(in.Path, ln.Path) && len(ln.Path) > bestLen {
				best, bestLen = l, len(ln.Path)
			}
		}
		if best >= 0 {
			out[best] = append(out[best], j)
		}
	}
	return out
}

// npvSign is how line l enters NPV: +1 a cashable saving, -1 a cashable
// cost, 0 a non-cashable line.
func (l Line) npvSign() float64 {
	switch {
	case !l.Cashable:
		return 0
	case l.Benefit:
		return 1
	}
	return -1
}

// JudgementInputs returns the indices of the uncertain inputs marked
// JUDGEMENT (fixed inputs carry no uncertainty to share out).
func (c *Compiled) JudgementInputs() []int {
	var out []int
	for j, in := range c.Inputs {
		if _, fixed := c.Model.Inputs[j].Dist.(dist.Fixed); in.Judgement && !fixed {
			out = append(out, j)
		}
	}
	return out
}

// GroupLabel names a group of inputs in plain words: the one input's
// label, or what their labels share before a colon ("Finance ERP
// systems"), or else the group's key in words ("democracy": "Democracy,
// 3 inputs").
func (c *Compiled) GroupLabel(key string, members []int) string {
	var labels []string
	for _, j := range members {
		if j >= 0 && j < len(c.Inputs) {
			labels = append(labels, c.Inputs[j].Label)
		}
	}
	return GroupLabelOf(key, labels)
}

// GroupLabelOf names the group key whose inputs have these labels, as
// GroupLabel does ("" for none).
func GroupLabelOf(key string, labels []string) string {
	switch len(labels) {
	case 0:
		return ""
	case 1:
		return labels[0]
	}
	head, _, _ := strings.Cut(labels[0], ":")
	for _, l := range labels[1:] {
		if h, _, _ := strings.Cut(l, ":"); h != head {
			if i := strings.LastIndex(key, "."); i >= 0 {
				key = key[i+1:]
			}
			return fmt.Sprintf("%s, %d inputs", words(key), len(labels))
		}
	}
	return head
}
