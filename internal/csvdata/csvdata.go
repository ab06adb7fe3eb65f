// Package csvdata reads the small CSV data files embedded in devolve.
package csvdata

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io/fs"
)

// Read returns the rows of a CSV file in fsys as maps from header to cell.
func Read(fsys fs.FS, name string) ([]map[string]string, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty", name)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out, nil
}
