package report

import "testing"

// TestSanitize: control and bidirectional characters are escaped, other
// text (accents, the pound sign, CJK) is not.
func TestSanitize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Suffolk, 1 unitary", "Suffolk, 1 unitary"},
		{"Ynys Môn £3m 東京", "Ynys Môn £3m 東京"},
		{"a\nb\tc\r", `a\nb\tc\r`},
		{"\x1b[2J\x1b[31mred", `\x1b[2J\x1b[31mred`},
		{"x\u202ey\u0085z\x7f", `x\u202ey\u0085z\x7f`},
		{"bad \xff utf-8", `bad \ufffd utf-8`},
	} {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
