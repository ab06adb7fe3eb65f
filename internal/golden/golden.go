// Package golden compares test output with golden files in testdata: JSON
// at a fixed precision (every number rounded to Digits significant
// digits), and any mismatch reported as a unified-style diff of the first
// differing lines. Tests only; it imports nothing of devolve's.
package golden

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Digits is the number of significant digits JSON numbers keep in golden
// files and comparisons: enough to catch any change to the model, few
// enough that the last bits of floating-point arithmetic (a different
// order of additions, FMA) do not matter.
const Digits = 10

// T is the part of testing.TB the comparisons use.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Check compares got with the golden file path; with update it first
// writes got there. A mismatch is reported with Diff.
func Check(t T, path string, got []byte, update bool) {
	t.Helper()
	compare(t, path, got, update, func(b []byte) ([]byte, error) { return b, nil })
}

// CheckJSON is Check for JSON: got and the golden file are compared after
// JSON rounds every number to Digits significant digits, and with update
// the file is written that way.
func CheckJSON(t T, path string, got []byte, update bool) {
	t.Helper()
	compare(t, path, got, update, JSON)
}

func compare(t T, path string, got []byte, update bool, canon func([]byte) ([]byte, error)) {
	t.Helper()
	g, err := canon(got)
	if err != nil {
		t.Fatalf("output for %s: %v", path, err)
	}
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("%v", err)
		}
		if err := os.WriteFile(path, g, 0o644); err != nil {
			t.Fatalf("%v", err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	w, err := canon(raw)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !bytes.Equal(g, w) {
		t.Errorf("output differs from %s (if intended, regenerate with -update and review the diff):\n%s", path, Diff(path, "got", string(w), string(g)))
	}
}

// JSON returns b re-indented with every number rounded to Digits
// significant digits, keys in their original order. Integers of up to
// Digits digits are unchanged.
func JSON(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out bytes.Buffer
	if err := canonValue(dec, &out, ""); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("golden: trailing data after the JSON value")
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func canonValue(dec *json.Decoder, out *bytes.Buffer, indent string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case json.Delim:
		closing := map[json.Delim]byte{'{': '}', '[': ']'}[v]
		out.WriteByte(byte(v))
		n := 0
		for dec.More() {
			if n > 0 {
				out.WriteByte(',')
			}
			out.WriteString("\n" + indent + "  ")
			if v == '{' {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				kb, _ := json.Marshal(k)
				out.Write(kb)
				out.WriteString(": ")
			}
			if err := canonValue(dec, out, indent+"  "); err != nil {
				return err
			}
			n++
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return err
		}
		if n > 0 {
			out.WriteString("\n" + indent)
		}
		out.WriteByte(closing)
	case json.Number:
		out.WriteString(Round(string(v)))
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		out.Write(b)
	}
	return nil
}

// Round returns the JSON number s rounded to Digits significant digits
// (in encoding/json's shortest form; -0 as 0).
func Round(s string) string {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(x, 0) {
		return s
	}
	x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', Digits, 64), 64)
	if x == 0 {
		return "0"
	}
	b, _ := json.Marshal(x) // encoding/json's shortest form
	return string(b)
}

// Diff returns a unified-style diff of want (labelled name) against got:
// one hunk spanning the first to the last differing line, with three
// lines of context, each side cut to its first 20 differing lines.
func Diff(name, gotName, want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	if pre == len(a) && pre == len(b) {
		return ""
	}
	const ctx, most = 3, 20
	from := max(0, pre-ctx)
	aEnd, bEnd := len(a)-suf, len(b)-suf
	var s strings.Builder
	fmt.Fprintf(&s, "--- %s\n+++ %s\n@@ -%d,%d +%d,%d @@\n", name, gotName, from+1, aEnd-from, from+1, bEnd-from)
	for _, l := range a[from:pre] {
		s.WriteString("  " + l + "\n")
	}
	side := func(lines []string, mark string) {
		for i, l := range lines {
			if i == most {
				fmt.Fprintf(&s, "%s ... %d more lines\n", mark, len(lines)-most)
				break
			}
			s.WriteString(mark + " " + l + "\n")
		}
	}
	side(a[pre:aEnd], "-")
	side(b[pre:bEnd], "+")
	for _, l := range a[aEnd:min(len(a), aEnd+ctx)] {
		s.WriteString("  " + l + "\n")
	}
	return s.String()
}
