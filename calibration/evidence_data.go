package calibration

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// The outturn panel, trimmed to the ten lines the evidence uses and to
// shire counties, shire districts and the councils of reorganisations.csv
// (calibration/data/README.md says how), and the predecessor-successor
// links of every reorganisation since 2009.
var (
	//go:embed data/revenue_outturn_panel_trimmed.csv.gz
	outturnPanelGz []byte
	//go:embed data/reorganisations.csv
	reorganisationsCSV []byte
)

// Financial years of the outturn panel: index 0 is 2007-08, the last
// 2024-25.
const (
	firstOutturnYear = 2007 // 2007-08
	nOutturnYears    = 18   // 2007-08 to 2024-25
)

// FinancialYearLabel returns the label of the financial year starting in
// April of calendar year y ("2009-10" for 2009).
func FinancialYearLabel(y int) string { return fmt.Sprintf("%d-%02d", y, (y+1)%100) }

// yearIndex parses "2008-09" into its panel index (1), or -1.
func yearIndex(s string) int {
	if len(s) != 7 || s[4] != '-' {
		return -1
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || FinancialYearLabel(y) != s {
		return -1
	}
	i := y - firstOutturnYear
	if i < 0 || i >= nOutturnYears {
		return -1
	}
	return i
}

// covidYear reports whether panel year i is 2020-21 or 2021-22, the years
// whose outturn carries COVID-19 spending and grants.
func covidYear(i int) bool { return i == 2020-firstOutturnYear || i == 2021-firstOutturnYear }

// Lines of the outturn panel the evidence reads.
const (
	lnCentral = iota
	lnEnvironmental
	lnCultural
	lnPlanning
	lnHousing
	lnTSE
	lnEducation
	lnPublicHealth
	lnPolice
	lnFire
	nPanelLines
)

var panelLineNames = [nPanelLines]string{"central_services", "environmental_regulatory", "cultural", "planning_development", "housing_gfra",
	"total_service_expenditure", "education", "public_health", "police", "fire"}

// outturnCouncil is one council's rows of the panel: for each line and
// year, £ thousand cash, NaN where the council made no return; a line
// absent that year (public health before 2013-14) is 0.
type outturnCouncil struct {
	ecode, name, class string
	present            [nOutturnYears]bool
	val                [nPanelLines][nOutturnYears]float64
}

// reorgLink is one row of reorganisations.csv.
type reorgLink struct {
	vesting                     int // calendar year of the 1 April vesting
	successor, successorEcode   string
	predecessor, predEcode      string
	predClass                   string
	split                       float64
	lastPredYear, firstSuccYear int // panel indices
}

// outturnData is the parsed panel and links.
type outturnData struct {
	councils map[string]*outturnCouncil
	links    []reorgLink
	hash     string // sha256 of the two embedded files, hex
}

// loadOutturnData parses the embedded files.
func loadOutturnData() (*outturnData, error) {
	zr, err := gzip.NewReader(bytes.NewReader(outturnPanelGz))
	if err != nil {
		return nil, fmt.Errorf("data/revenue_outturn_panel_trimmed.csv.gz: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("data/revenue_outturn_panel_trimmed.csv.gz: %w", err)
	}
	d, err := parseOutturnPanel(raw)
	if err != nil {
		return nil, fmt.Errorf("data/revenue_outturn_panel_trimmed.csv.gz: %w", err)
	}
	links, err := parseReorganisations(reorganisationsCSV)
	if err != nil {
		return nil, fmt.Errorf("data/reorganisations.csv: %w", err)
	}
	d.links = links
	h := sha256.New()
	h.Write(outturnPanelGz)
	h.Write(reorganisationsCSV)
	d.hash = hex.EncodeToString(h.Sum(nil))
	return d, nil
}

// readTable reads CSV b: its records (header first, at least one row
// after it) and each column's index by header name, every one of need
// present.
func readTable(b []byte, need ...string) ([][]string, map[string]int, error) {
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, nil, err
	}
	if len(recs) < 2 {
		return nil, nil, errors.New("empty")
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, h := range need {
		if _, ok := col[h]; !ok {
			return nil, nil, fmt.Errorf("no column %q", h)
		}
	}
	return recs, col, nil
}

// parseOutturnPanel reads the panel CSV (columns year, ecode, name, class,
// line, value_gbp_k; others ignored).
func parseOutturnPanel(b []byte) (*outturnData, error) {
	recs, col, err := readTable(b, "year", "ecode", "name", "class", "line", "value_gbp_k")
	if err != nil {
		return nil, err
	}
	lineIdx := map[string]int{}
	for i, n := range panelLineNames {
		lineIdx[n] = i
	}
	d := &outturnData{councils: map[string]*outturnCouncil{}}
	for n, r := range recs[1:] {
		y := yearIndex(r[col["year"]])
		if y < 0 {
			return nil, fmt.Errorf("line %d: year %q outside 2007-08 to 2024-25", n+2, r[col["year"]])
		}
		li, ok := lineIdx[r[col["line"]]]
		if !ok {
			continue
		}
		e := r[col["ecode"]]
		c := d.councils[e]
		if c == nil {
			c = &outturnCouncil{ecode: e}
			d.councils[e] = c
		}
		// The name and class of the council's last year.
		c.name, c.class = r[col["name"]], r[col["class"]]
		c.present[y] = true
		v := math.NaN()
		if s := r[col["value_gbp_k"]]; s != "" {
			if v, err = strconv.ParseFloat(s, 64); err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				return nil, fmt.Errorf("line %d: value %q is not a number", n+2, s)
			}
		}
		c.val[li][y] = v
	}
	return d, nil
}

// parseReorganisations reads reorganisations.csv.
func parseReorganisations(b []byte) ([]reorgLink, error) {
	recs, col, err := readTable(b, "vesting_date", "successor", "successor_ecode", "predecessor", "predecessor_ecode", "predecessor_class", "split", "last_predecessor_year", "first_successor_year")
	if err != nil {
		return nil, err
	}
	var out []reorgLink
	for n, r := range recs[1:] {
		l := reorgLink{successor: r[col["successor"]], successorEcode: r[col["successor_ecode"]], predecessor: r[col["predecessor"]],
			predEcode: r[col["predecessor_ecode"]], predClass: r[col["predecessor_class"]],
			lastPredYear: yearIndex(r[col["last_predecessor_year"]]), firstSuccYear: yearIndex(r[col["first_successor_year"]])}
		vd := r[col["vesting_date"]]
		y, err := strconv.Atoi(strings.TrimSuffix(vd, "-04-01"))
		if err != nil || !strings.HasSuffix(vd, "-04-01") {
			return nil, fmt.Errorf("line %d: vesting_date %q is not YYYY-04-01", n+2, vd)
		}
		l.vesting = y
		if l.split, err = strconv.ParseFloat(r[col["split"]], 64); err != nil || !(l.split > 0 && l.split <= 1) {
			return nil, fmt.Errorf("line %d: split %q is not in (0, 1]", n+2, r[col["split"]])
		}
		if l.firstSuccYear != y-firstOutturnYear || l.lastPredYear != l.firstSuccYear-1 {
			return nil, fmt.Errorf("line %d: years %q, %q do not match vesting %s", n+2, r[col["last_predecessor_year"]], r[col["first_successor_year"]], vd)
		}
		out = append(out, l)
	}
	return out, nil
}

// Outcome values of one council-year, £ thousand cash; NaN if the council
// made no return or has no row that year.
func (c *outturnCouncil) outcome(o EffectOutcome, y int) float64 {
	if c == nil || !c.present[y] {
		return math.NaN()
	}
	v := &c.val
	switch o {
	case OutcomeMergerLines:
		return v[lnCentral][y] + v[lnEnvironmental][y] + v[lnCultural][y] + v[lnPlanning][y] + v[lnHousing][y]
	case OutcomeCoreServices:
		return v[lnTSE][y] - v[lnEducation][y] - v[lnPublicHealth][y] - v[lnPolice][y] - v[lnFire][y]
	}
	panic("calibration: unknown outcome " + string(o))
}

// unitSeries is one unit's outcome by panel year, £ thousand cash, NaN
// where missing, with the years filled by imputation marked.
type unitSeries struct {
	name, ecode string
	v           [nOutturnYears]float64
	imputed     [nOutturnYears]bool
}

// successorSeries builds a successor's outcome: its own return from its
// first year, before that the sum of its predecessors' (a split county
// times its share), recursively for a predecessor that was itself a
// successor (Somerset West and Taunton).
func (d *outturnData) successorSeries(ecode string, o EffectOutcome) [nOutturnYears]float64 {
	var s [nOutturnYears]float64
	first := -1
	for _, l := range d.links {
		if l.successorEcode == ecode {
			first = l.firstSuccYear
		}
	}
	for y := range s {
		if first < 0 || y >= first {
			s[y] = d.councils[ecode].outcome(o, y)
			continue
		}
		sum := 0.0
		for _, l := range d.links {
			if l.successorEcode != ecode {
				continue
			}
			if d.isSuccessor(l.predEcode) {
				sum += l.split * d.successorSeries(l.predEcode, o)[y]
			} else {
				sum += l.split * d.councils[l.predEcode].outcome(o, y)
			}
		}
		s[y] = sum
	}
	return s
}

func (d *outturnData) isSuccessor(e string) bool {
	for _, l := range d.links {
		if l.successorEcode == e {
			return true
		}
	}
	return false
}

// reorganised reports whether council e is a predecessor or successor in
// any reorganisation.
func (d *outturnData) reorganised(e string) bool {
	for _, l := range d.links {
		if l.successorEcode == e || l.predEcode == e {
			return true
		}
	}
	return false
}

// countyAreas returns the two-tier areas (a shire county and the shire
// districts sharing its E-code prefix, summed) whose councils were not
// reorganised and whose number of councils is the same in every panel
// year from lo to hi (indices, inclusive): the donor pool of a county-level
// successor. A district with no return in a year is imputed (imputeDistrict).
func (d *outturnData) countyAreas(o EffectOutcome, lo, hi int) []unitSeries {
	members := map[string][]*outturnCouncil{}
	for _, c := range d.councils {
		if c.class == "SC" || c.class == "SD" {
			members[c.ecode[:3]] = append(members[c.ecode[:3]], c)
		}
	}
	var out []unitSeries
	for _, pre := range sortedKeys(members) {
		cs := members[pre]
		sort.Slice(cs, func(i, j int) bool { return cs[i].ecode < cs[j].ecode })
		var county *outturnCouncil
		ok := true
		for _, c := range cs {
			if c.class == "SC" {
				county = c
			}
			if d.reorganised(c.ecode) {
				ok = false
			}
		}
		if !ok || county == nil {
			continue
		}
		count := func(y int) int {
			n := 0
			for _, c := range cs {
				if c.present[y] {
					n++
				}
			}
			return n
		}
		for y := lo; y <= hi; y++ {
			if !county.present[y] || count(y) != count(lo) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		u := unitSeries{name: strings.TrimSuffix(county.name, " CC"), ecode: county.ecode}
		for y := range u.v {
			if y < lo || y > hi {
				u.v[y] = math.NaN()
				continue
			}
			sum := 0.0
			for _, c := range cs {
				if !c.present[y] {
					continue
				}
				v := c.outcome(o, y)
				if math.IsNaN(v) && c.class == "SD" {
					v = imputeDistrict(c, cs, o, y)
					u.imputed[y] = true
				}
				sum += v
			}
			u.v[y] = sum
		}
		out = append(out, u)
	}
	return out
}

// districtUnits returns the shire districts not reorganised and present
// (under one E-code) in every panel year from lo to hi: the donor pool of a
// district merger. A year with no return is imputed (imputeDistrict).
func (d *outturnData) districtUnits(o EffectOutcome, lo, hi int) []unitSeries {
	byPrefix := map[string][]*outturnCouncil{}
	for _, c := range d.councils {
		if c.class == "SD" {
			byPrefix[c.ecode[:3]] = append(byPrefix[c.ecode[:3]], c)
		}
	}
	var out []unitSeries
	for _, e := range sortedKeys(d.councils) {
		c := d.councils[e]
		if c.class != "SD" || d.reorganised(e) {
			continue
		}
		ok := true
		for y := lo; y <= hi; y++ {
			ok = ok && c.present[y]
		}
		if !ok {
			continue
		}
		u := unitSeries{name: c.name, ecode: e}
		for y := range u.v {
			u.v[y] = math.NaN()
			if y < lo || y > hi {
				continue
			}
			u.v[y] = c.outcome(o, y)
			if math.IsNaN(u.v[y]) {
				u.v[y] = imputeDistrict(c, byPrefix[e[:3]], o, y)
				u.imputed[y] = true
			}
		}
		out = append(out, u)
	}
	return out
}

// imputeDistrict fills a district's missing year y: its value in the
// nearest year s with a return (earlier first) times the growth from s to
// y of the sum of the other districts of its county that returned in both
// years. NaN if there is no such year.
func imputeDistrict(c *outturnCouncil, county []*outturnCouncil, o EffectOutcome, y int) float64 {
	for dist := 1; dist < nOutturnYears; dist++ {
		for _, s := range []int{y - dist, y + dist} {
			if s < 0 || s >= nOutturnYears {
				continue
			}
			vs := c.outcome(o, s)
			if math.IsNaN(vs) {
				continue
			}
			num, den := 0.0, 0.0
			for _, k := range county {
				if k == c || k.class != "SD" {
					continue
				}
				a, b := k.outcome(o, y), k.outcome(o, s)
				if math.IsNaN(a) || math.IsNaN(b) {
					continue
				}
				num += a
				den += b
			}
			if den > 0 {
				return vs * num / den
			}
		}
	}
	return math.NaN()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// establishedUnitaries returns the unitary authorities that existed
// under one E-code in every panel year and were not reorganised (mostly
// created 1995-98), without the Isles of Scilly (about 2,000 residents):
// the benchmark of what being a unitary, rather than reorganising, does
// to spending against two-tier areas. A year with no return stays
// missing.
func (d *outturnData) establishedUnitaries(o EffectOutcome) []unitSeries {
	var out []unitSeries
	for _, e := range sortedKeys(d.councils) {
		c := d.councils[e]
		if c.class != "UA" || d.reorganised(e) || strings.Contains(c.name, "Scilly") {
			continue
		}
		ok := true
		for y := 0; y < nOutturnYears; y++ {
			ok = ok && c.present[y]
		}
		if !ok {
			continue
		}
		u := unitSeries{name: c.name, ecode: e}
		for y := range u.v {
			u.v[y] = c.outcome(o, y)
		}
		out = append(out, u)
	}
	return out
}
