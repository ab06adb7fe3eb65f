package main

import (
	"context"
	"strings"
	"testing"
)

// TestRenamedKeyPathStable: an error in a key the loader renames
// (discount_rate becomes the model's discount[0], whose rate is
// discount[0].rate) is reported under the key the user wrote, the same
// way every time. Two renamed paths cover the error's; the map they sat in
// was read in random order, and about 1 load in 8 reported
// "discount_rate.rate", which the file does not contain.
func TestRenamedKeyPathStable(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"discount_rate_500pct.yaml", "discount_rate_minus_99.yaml", "json_discount_rate.json"} {
		first := ""
		for i := range 60 {
			code, _, stderr := runCLI(t, context.Background(), "validate", "testdata/bad/"+f)
			if code != exitUsage {
				t.Fatalf("%s: exit %d, want %d", f, code, exitUsage)
			}
			if !strings.Contains(stderr, "discount_rate: ") || strings.Contains(stderr, "discount_rate.rate") {
				t.Fatalf("%s (load %d): %q does not name discount_rate as written", f, i, stderr)
			}
			if i == 0 {
				first = stderr
			} else if stderr != first {
				t.Fatalf("%s: load %d says %q, load 0 said %q", f, i, stderr, first)
			}
		}
	}
}
