package main

import (
	"context"
	"strings"
	"testing"
)

// TestQualityLabelsInWords: run's service-quality table names each
// indicator in words, as outcomes does ("contacts online"), not by the
// scenario's key (contacts_online); JSON keeps the key.
func TestQualityLabelsInWords(t *testing.T) {
	t.Parallel()
	bg := context.Background()
	code, out, stderr := runCLI(t, bg, "run", "suffolk", "--iterations", "1000", "--seed", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	i := strings.Index(out, "Service quality")
	if i < 0 {
		t.Fatalf("no service-quality table in\n%s", out)
	}
	tbl := out[i:]
	for _, want := range []string{"contacts online", "housing benefit new claim days", "major planning on time"} {
		if !strings.Contains(tbl, want) {
			t.Errorf("the service-quality table does not name %q", want)
		}
	}
	if strings.Contains(tbl, "contacts_online") {
		t.Error("the service-quality table shows the key contacts_online")
	}
	_, js, _ := runCLI(t, bg, "run", "suffolk", "--iterations", "1000", "--seed", "1", "--format", "json")
	if !strings.Contains(js, `"contacts_online"`) {
		t.Error("JSON no longer names the indicator by its key contacts_online")
	}
}
