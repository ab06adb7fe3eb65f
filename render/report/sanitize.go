package report

import (
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/jedib0t/go-pretty/v6/table"
)

// Sanitize returns s with every control character (newlines, tabs, the
// escape character that starts terminal control sequences, C1 controls)
// and every bidirectional-text control written as a Go escape (\n, \x1b,
// \u202e), so that a name from a scenario file can neither move the cursor,
// recolour or clear the terminal, nor break a table row or a comment line.
// Other text, including non-ASCII letters, is unchanged.
func Sanitize(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == unicode.ReplacementChar
}

// sanitizeRow applies Sanitize to every string cell of a table row.
func sanitizeRow(row table.Row) table.Row {
	out := make(table.Row, len(row))
	for i, c := range row {
		if s, ok := c.(string); ok {
			c = Sanitize(s)
		}
		out[i] = c
	}
	return out
}

// AppendRow appends a row whose string cells are sanitised (Sanitize).
func (t *titled) AppendRow(row table.Row, configs ...table.RowConfig) {
	t.Writer.AppendRow(sanitizeRow(row), configs...)
}

// AppendHeader appends a header whose string cells are sanitised.
func (t *titled) AppendHeader(row table.Row, configs ...table.RowConfig) {
	t.Writer.AppendHeader(sanitizeRow(row), configs...)
}

// MarkdownText returns Markdown with every & and < written as an HTML
// entity, so that text from a scenario file (a name such as
// "<script>...") shows as text in a Markdown viewer, never as HTML. The
// Markdown devolve writes holds no HTML of its own.
func MarkdownText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(s)
}

// markdown writes what tables writes as Markdown to w, with every < and &
// written as an entity (MarkdownText): names from a scenario file (an
// option's, a line's, an input's label) must not become HTML in a
// Markdown viewer.
func markdown(w io.Writer, tables func(io.Writer) error) error {
	var b strings.Builder
	if err := tables(&b); err != nil {
		return err
	}
	_, err := io.WriteString(w, MarkdownText(b.String()))
	return err
}
