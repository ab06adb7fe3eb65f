package report

import (
	"encoding/csv"
	"strings"
	"testing"
)

// TestCSVText: cells a spreadsheet would run as formulas get a leading
// quote (OWASP's advice on CSV injection); numbers and other text are
// unchanged, and encoding/csv (an independent reader) reads CSVField's
// output back as the neutralised text.
func TestCSVText(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\",\"y\")": "'=HYPERLINK(\"http://x\",\"y\")",
		"+cmd|' /C calc'!A0":             "'+cmd|' /C calc'!A0",
		"-2+3":                           "'-2+3",
		"@SUM(A1)":                       "'@SUM(A1)",
		"\t=1":                           "'\t=1",
		"\r=1":                           "'\r=1",
		"-5":                             "-5",
		"+1.5e3":                         "+1.5e3",
		"North":                          "North",
		"":                               "",
		"a=b":                            "a=b",
	} {
		if got := CSVText(in); got != want {
			t.Errorf("CSVText(%q) = %q, want %q", in, got, want)
		}
		rec, err := csv.NewReader(strings.NewReader(CSVField(in) + ",x\n")).Read()
		if err != nil || len(rec) != 2 || rec[0] != want {
			t.Errorf("CSVField(%q) reads back as %q (%v), want %q", in, rec, err, want)
		}
	}
}

// TestMarkdownText: raw HTML in a name is text in Markdown (issue 19).
func TestMarkdownText(t *testing.T) {
	if got := MarkdownText(`<img src=x onerror="alert(1)"> & co`); got != `&lt;img src=x onerror="alert(1)"> &amp; co` {
		t.Errorf("got %q", got)
	}
}
