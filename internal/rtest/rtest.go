// Package rtest reads the category table of reference model R
// (shared/bench/REFERENCE_MODEL.md) for the independent implementations of R
// in tests and benchmarks.
package rtest

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
)

// Category is one row of R's table: systems before consolidation, the
// licence cost's 90% interval and the migration cost's PERT, £.
type Category struct {
	Name                                      string
	Before                                    float64
	LicenceP5, LicenceP95                     float64
	MigrationMin, MigrationMode, MigrationMax float64
}

// Categories reads the table from path (scenarios/testdata/reference_r_categories.csv).
func Categories(path string) ([]Category, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []Category
	for i, r := range recs[1:] {
		var v [6]float64
		for j := range v {
			if v[j], err = strconv.ParseFloat(r[j+1], 64); err != nil {
				return nil, fmt.Errorf("%s row %d: %v", path, i+2, err)
			}
		}
		out = append(out, Category{r[0], v[0], v[1], v[2], v[3], v[4], v[5]})
	}
	return out, nil
}
