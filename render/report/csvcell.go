package report

import (
	"strconv"
	"strings"
)

// CSVText returns s made safe as a text cell of a CSV file that a
// spreadsheet may open: a cell starting with =, +, -, @, a tab or a
// carriage return would be read as a formula (CSV injection), so, as OWASP
// recommends, it gets a leading single quote, which spreadsheets show as
// text. A cell that reads as a number (-5, +1.5e3) is left as it is:
// numbers stay numbers. Quoting for the CSV syntax itself is the writer's
// (encoding/csv, or CSVField).
func CSVText(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// CSVField returns s as one field of a CSV row written by hand: CSVText,
// then in double quotes (each " doubled) when it holds a comma, a quote or
// a line break (RFC 4180).
func CSVField(s string) string {
	s = CSVText(s)
	if strings.ContainsAny(s, ",\"\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// csvTexts applies CSVText to every cell of a row for encoding/csv.
func csvTexts(row []string) []string {
	for i, c := range row {
		row[i] = CSVText(c)
	}
	return row
}
