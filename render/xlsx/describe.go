package xlsx

import (
	"fmt"
	"strings"

	"github.com/devolve-lgr/devolve/model/dist"
)

// describe states a distribution in words for the Inputs sheet: its family
// with the parameters it exposes, then its own 5th, 50th and 95th
// percentiles (from its quantile function, not from draws).
func describe(d dist.Distribution) string {
	g := func(x float64) string { return fmt.Sprintf("%.4g", x) }
	var fam string
	switch x := d.(type) {
	case dist.Fixed:
		return "fixed at " + g(x.V)
	case dist.Uniform:
		fam = fmt.Sprintf("uniform(%s, %s)", g(x.Min), g(x.Max))
	case dist.UniformInt:
		fam = fmt.Sprintf("uniform integer(%d, %d)", x.Min, x.Max)
	case dist.Bernoulli:
		return fmt.Sprintf("bernoulli(p = %s)", g(x.P))
	case dist.Normal:
		mu, s := x.Params()
		fam = fmt.Sprintf("normal(mean %s, sd %s)", g(mu), g(s))
	case dist.LogNormal:
		mu, s := x.Params()
		fam = fmt.Sprintf("lognormal(mu %s, sigma %s of the log)", g(mu), g(s))
	case dist.ScaledBeta:
		fam = "beta (PERT or scaled beta)"
	default:
		t := fmt.Sprintf("%T", d)
		fam = strings.ToLower(t[strings.LastIndex(t, ".")+1:])
	}
	return fmt.Sprintf("%s; P5 %s, P50 %s, P95 %s", fam, g(d.Quantile(0.05)), g(d.Quantile(0.5)), g(d.Quantile(0.95)))
}
