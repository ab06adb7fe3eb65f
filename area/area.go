package area

import (
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/devolve-lgr/devolve/internal/csvdata"
	"github.com/devolve-lgr/devolve/internal/suggest"
)

//go:embed data/*.csv
var dataFS embed.FS

// Council is one council in the shipped data.
type Council struct {
	Code, Name string
	// Kind is county, district or unitary.
	Kind string
	// Population is Census 2021 (for a county, the sum of its districts).
	Population float64
	// NetExpenditure and PayBill are £ a year (cash, the row's year); PayBill
	// excludes education for counties. Zero when not published in the data.
	NetExpenditure, PayBill float64
	// Services is the council's spending by MHCLG service line (RSX), £ a
	// year cash: employees and running expenses (two_tier_councils_services.csv,
	// or reorganised_2023_councils_services.csv for the councils abolished in
	// 2023); nil where not published. ServicesYear is its financial year.
	Services     map[string]ServiceSpend
	ServicesYear string
}

// ServiceSpend is one service line's employees (C1) and running expenses
// (C2: third-party payments, supplies, premises, transport), £ a year, and
// its net current expenditure (C7: expenditure less sales, fees, charges
// and other income).
type ServiceSpend struct{ Employees, Running, Net float64 }

// Area is a two-tier county area: the county council and its districts.
type Area struct {
	Name       string
	County     Council
	Districts  []Council
	Population float64
	// Reorganised marks Cumbria, North Yorkshire and Somerset, reorganised in
	// April 2023 and kept for back-testing (no finance rows).
	Reorganised bool
}

type dataset struct {
	areas     []Area
	unitaries map[string]Council // E06 unitaries by lower-case name
	popByCode map[string]float64 // Census 2021 residents by ONS local authority code
	popByName map[string]float64 // and by lower-case name
	err       error
}

var (
	dataOnce sync.Once
	data     dataset
)

func readCSV(name string) ([]map[string]string, error) {
	return csvdata.Read(dataFS, "data/"+name)
}

func num(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}

// readServices reads the services data (RSX): each council's spending by
// service line, keyed by ONS code ("county:NAME" for a county), and the
// year it is from.
func readServices() (map[string]map[string]ServiceSpend, map[string]string, error) {
	servBy := map[string]map[string]ServiceSpend{}
	servYear := map[string]string{}
	for _, f := range []string{"two_tier_councils_services.csv", "reorganised_2023_councils_services.csv"} {
		rows, err := readCSV(f)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range rows {
			if r["employees_gbp_k"] == "" && r["running_expenses_gbp_k"] == "" {
				continue // not published (Woking)
			}
			key := r["lad_code"]
			if r["kind"] == "county" {
				key = "county:" + r["county"]
			}
			if servBy[key] == nil {
				servBy[key] = map[string]ServiceSpend{}
			}
			servBy[key][r["service"]] = ServiceSpend{1000 * num(r["employees_gbp_k"]), 1000 * num(r["running_expenses_gbp_k"]), 1000 * num(r["net_current_expenditure_gbp_k"])}
			servYear[key] = r["year"]
		}
	}
	return servBy, servYear, nil
}

func loadData() dataset {
	dataOnce.Do(func() {
		pop, err := readCSV("england_lad_population_census2021.csv")
		if err != nil {
			data.err = err
			return
		}
		data.popByCode, data.popByName = map[string]float64{}, map[string]float64{}
		for _, r := range pop {
			data.popByCode[r["lad_code"]] = num(r["pop_census2021"])
			data.popByName[strings.ToLower(r["name"])] = num(r["pop_census2021"])
		}
		fin, err := readCSV("two_tier_councils_finance.csv")
		if err != nil {
			data.err = err
			return
		}
		servBy, servYear, err := readServices()
		if err != nil {
			data.err = err
			return
		}
		finBy := map[string]map[string]string{}
		for _, r := range fin {
			finBy[r["lad_code"]] = r
		}
		byCounty := map[string]*Area{}
		var order []string
		data.unitaries = map[string]Council{}
		for _, r := range pop {
			code := r["lad_code"]
			switch {
			case strings.HasPrefix(code, "E06"):
				data.unitaries[strings.ToLower(r["name"])] = Council{Code: code, Name: r["name"], Kind: "unitary", Population: num(r["pop_census2021"])}
			case strings.HasPrefix(code, "E07"):
				cty := r["county"]
				a, ok := byCounty[cty]
				if !ok {
					a = &Area{Name: cty, County: Council{Name: cty, Kind: "county"}}
					byCounty[cty] = a
					order = append(order, cty)
				}
				d := Council{Code: code, Name: r["name"], Kind: "district", Population: num(r["pop_census2021"]),
					Services: servBy[code], ServicesYear: servYear[code]}
				if f, ok := finBy[code]; ok {
					d.NetExpenditure = 1000 * num(f["net_current_expenditure_gbp_k"])
					d.PayBill = 1000 * num(f["employees_gbp_k"])
				}
				a.Districts = append(a.Districts, d)
				a.Population += d.Population
			}
		}
		for _, r := range fin {
			if r["kind"] != "county" {
				continue
			}
			a := byCounty[r["county"]]
			if a == nil {
				data.err = fmt.Errorf("finance file: county %q has no districts in the population file", r["county"])
				return
			}
			a.County.Code = r["lad_code"]
			a.County.NetExpenditure = 1000 * num(r["net_current_expenditure_gbp_k"])
			a.County.PayBill = 1000 * num(r["employees_excl_education_gbp_k"])
		}
		sort.Strings(order)
		for _, name := range order {
			a := byCounty[name]
			a.County.Population = a.Population
			a.Reorganised = a.County.Code == ""
			a.County.Services, a.County.ServicesYear = servBy["county:"+name], servYear["county:"+name]
			sort.Slice(a.Districts, func(i, j int) bool { return a.Districts[i].Population > a.Districts[j].Population })
			data.areas = append(data.areas, *a)
		}
	})
	return data
}

// Areas returns the 21 two-tier areas and the three reorganised in 2023,
// sorted by name.
func Areas() ([]Area, error) {
	d := loadData()
	return d.areas, d.err
}

// Residents returns a local authority's Census 2021 population by its ONS
// code (E06..., E07...), from the shipped population table; false if the
// code is not in it.
func Residents(ladCode string) (float64, bool) {
	d := loadData()
	if d.err != nil {
		return 0, false
	}
	p, ok := d.popByCode[ladCode]
	return p, ok && p > 0
}

// ResidentsNamed returns a local authority's Census 2021 population by its
// name as the shipped population table writes it (district and unitary
// councils of 2021; not counties); false if not there.
func ResidentsNamed(name string) (float64, bool) {
	d := loadData()
	if d.err != nil {
		return 0, false
	}
	p, ok := d.popByName[strings.ToLower(strings.TrimSpace(name))]
	return p, ok && p > 0
}

// FindArea returns the named area (case-insensitive).
func FindArea(name string) (Area, error) {
	areas, err := Areas()
	if err != nil {
		return Area{}, err
	}
	var names []string
	for _, a := range areas {
		if strings.EqualFold(a.Name, name) {
			return a, nil
		}
		names = append(names, a.Name)
	}
	return Area{}, fmt.Errorf("no two-tier area %q%s (devolve areas lists them)", name, suggest.Hint(name, names))
}

// AreaOptions says how to reorganise an area.
type AreaOptions struct {
	// Unitaries is the number of successors (1 to 5) when Groups is empty.
	Unitaries int
	// Groups names the successors and their districts and unitaries, e.g.
	// {"North", ["Cambridge", "South Cambridgeshire"]}; the county is split
	// across all of them by population.
	Groups []Group
	// Add names neighbouring unitaries that join (e.g. Southend-on-Sea).
	Add []string
	// Integration is the strategy for the core systems: Contract (""),
	// Connected or Federated.
	Integration string
	// HoldOut names areas (as in calibration/data/published_cases.csv, e.g.
	// "Somerset") whose own business cases must not inform the generated
	// defaults: the staff-saving rates are then drawn from the other cases
	// (staffCases). Set when a case's own figures are checked against the
	// generated option (study.PlacePublished, the whole-model back-test).
	HoldOut []string
}

// Group is one named successor and its member councils.
type Group struct {
	Name    string
	Members []string
}

// ParseGroup reads "North=A,B,C".
func ParseGroup(s string) (Group, error) {
	name, list, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(name) == "" || strings.TrimSpace(list) == "" {
		return Group{}, fmt.Errorf("group %q: expected NAME=COUNCIL,COUNCIL", s)
	}
	g := Group{Name: strings.TrimSpace(name)}
	for _, m := range strings.Split(list, ",") {
		if m = strings.TrimSpace(m); m != "" {
			g.Members = append(g.Members, m)
		}
	}
	return g, nil
}
