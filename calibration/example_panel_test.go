package calibration_test

import (
	"fmt"
	"strings"

	"github.com/devolve-lgr/devolve/calibration"
)

// ExamplePoolPanel pools two experts' judgements of one quantity, the
// second weighted three times the first: each expert's symmetric
// quantiles give a logistic metalog, and the pool is their mixture.
func ExamplePoolPanel() {
	rows, _ := calibration.ReadPanel(strings.NewReader(`expert,quantity,percentile,value,weight
A,cost,10,80,1
A,cost,50,100,1
A,cost,90,120,1
B,cost,10,120,3
B,cost,50,150,3
B,cost,90,180,3
`))
	pq, _ := calibration.PoolPanel(rows, calibration.PanelOptions{})
	p := pq[0]
	fmt.Printf("%s: mean %.1f, P50 %.1f, pooled CDF at 130 %.4f\n", p.Quantity, p.Mean, p.P50, p.Pool.CDF(130))
	fmt.Println(p.Snippet)
	// Output:
	// cost: mean 137.5, P50 140.8, pooled CDF at 130 0.3819
	// {dist: mixture, weights: [0.25, 0.75], components: [{dist: metalog, p10: 80, p50: 100, p90: 120}, {dist: metalog, p10: 120, p50: 150, p90: 180}]}
}
