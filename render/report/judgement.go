package report

import (
	"fmt"

	"github.com/devolve-lgr/devolve/explain"
)

// JudgementSentence states the judgement share in words.
func JudgementSentence(j *explain.JudgementShare) string {
	return fmt.Sprintf("%d of the %d uncertain inputs are marked JUDGEMENT in the scenario (no source given for the figure); "+
		"by themselves they explain %s of the variance of NPV (95%% interval %s to %s), and %s (%s to %s) with their interactions with the other inputs "+
		"(Sobol indices of the group, inputs taken as independent).",
		len(j.Judgement), j.Inputs, Pct(clamp01(j.S1)), Pct(clamp01(j.S1Lo)), Pct(clamp01(j.S1Hi)), Pct(clamp01(j.ST)), Pct(clamp01(j.STLo)), Pct(clamp01(j.STHi)))
}

func clamp01(x float64) float64 { return min(1, max(0, x)) }
