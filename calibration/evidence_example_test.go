package calibration_test

import (
	"fmt"

	"github.com/devolve-lgr/devolve/calibration"
)

// ExampleMeasuredEffects prints the synthetic-control effect of Cornwall's
// 2009 reorganisation on wider services in its first year.
func ExampleMeasuredEffects() {
	effects, err := calibration.MeasuredEffects()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range effects {
		if e.Successor == "Cornwall UA" && e.Year == 1 && e.Outcome == calibration.OutcomeCoreServices && e.Estimator == calibration.EstimatorSC {
			fmt.Printf("%s %s: %+.1f%% (95%% %+.1f%% to %+.1f%%), p=%.3f, %s\n", e.Successor, e.FinancialYear, 100*e.Effect, 100*e.Lo, 100*e.Hi, e.P, e.Kind)
		}
	}
	// Output:
	// Cornwall UA 2009-10: +6.3% (95% -0.2% to +13.2%), p=0.048, measured
}
