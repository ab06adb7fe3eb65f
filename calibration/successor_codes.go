package calibration

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"sync"
)

var (
	onsOnce  sync.Once
	onsCodes map[string]string
	onsErr   error
)

// SuccessorONSCode returns the ONS local authority code (E06..., E07...) of
// a successor council of reorganisations.csv, by its name there ("Cornwall
// UA"), for joining measured effects to populations.
func SuccessorONSCode(successor string) (string, error) {
	onsOnce.Do(func() {
		rows, err := csv.NewReader(bytes.NewReader(reorganisationsCSV)).ReadAll()
		if err != nil || len(rows) == 0 {
			onsErr = fmt.Errorf("data/reorganisations.csv: %v", err)
			return
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		s, o := col["successor"], col["successor_ons_code"]
		onsCodes = map[string]string{}
		for _, r := range rows[1:] {
			onsCodes[r[s]] = r[o]
		}
	})
	if onsErr != nil {
		return "", onsErr
	}
	c, ok := onsCodes[successor]
	if !ok {
		return "", fmt.Errorf("no successor %q in data/reorganisations.csv", successor)
	}
	return c, nil
}
