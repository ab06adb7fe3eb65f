package xlsx

import (
	"fmt"
	"math"

	"github.com/xuri/excelize/v2"
)

// Number formats.
const (
	fmtMoney = `"£"#,##0;-"£"#,##0` // the £ quoted, as Excel writes it
	fmtPct   = `0.0%`
	fmtRatio = `0.000`
	fmtYears = `0.00`
	fmtInt   = `#,##0`
	fmtGen   = `General`
)

// book wraps an excelize file with the styles every sheet uses.
type book struct {
	f      *excelize.File
	styles map[string]int
	bold   int
	err    error
}

func newBook() *book {
	b := &book{f: excelize.NewFile(), styles: map[string]int{}}
	for _, nf := range []string{fmtMoney, fmtPct, fmtRatio, fmtYears, fmtInt, fmtGen} {
		s := nf
		id, err := b.f.NewStyle(&excelize.Style{CustomNumFmt: &s})
		b.keep(err)
		b.styles[nf] = id
	}
	id, err := b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	b.keep(err)
	b.bold = id
	return b
}

// keep records the first error; later calls become no-ops in effect.
func (b *book) keep(err error) {
	if b.err == nil && err != nil {
		b.err = err
	}
}

// sheet adds (or, for the first, renames) a sheet.
func (b *book) sheet(name string) {
	if b.f.SheetCount == 1 && b.f.GetSheetName(0) == "Sheet1" {
		b.keep(b.f.SetSheetName("Sheet1", name))
		return
	}
	_, err := b.f.NewSheet(name)
	b.keep(err)
}

// cell returns the A1 reference of 1-based column col and row row.
func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// absRef returns the absolute reference Sheet!$C$R used by workbook names.
func absRef(sheet string, col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row, true)
	return fmt.Sprintf("'%s'!%s", sheet, c)
}

// header writes a bold header row 1 and freezes it.
func (b *book) header(sheet string, cols ...string) {
	for i, h := range cols {
		b.keep(b.f.SetCellStr(sheet, cell(i+1, 1), h))
	}
	b.keep(b.f.SetCellStyle(sheet, "A1", cell(len(cols), 1), b.bold))
	b.keep(b.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
}

// num writes a finite number with a number format; a non-finite one is
// written as the text ifNaN (e.g. "never" for a payback that never
// happens), or left empty when ifNaN is "".
func (b *book) num(sheet string, col, row int, v float64, format, ifNaN string) {
	ref := cell(col, row)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		if ifNaN != "" {
			b.keep(b.f.SetCellStr(sheet, ref, ifNaN))
		}
		return
	}
	b.keep(b.f.SetCellFloat(sheet, ref, v, -1, 64))
	b.keep(b.f.SetCellStyle(sheet, ref, ref, b.styles[format]))
}

func (b *book) str(sheet string, col, row int, s string) {
	b.keep(b.f.SetCellStr(sheet, cell(col, row), s))
}

func (b *book) boolean(sheet string, col, row int, v bool) {
	b.keep(b.f.SetCellBool(sheet, cell(col, row), v))
}

// name defines a workbook-scoped name for one cell.
func (b *book) name(name, sheet string, col, row int) {
	b.keep(b.f.SetDefinedName(&excelize.DefinedName{Name: name, RefersTo: absRef(sheet, col, row)}))
}

// widths sets column widths, first column first.
func (b *book) widths(sheet string, ws ...float64) {
	for i, w := range ws {
		c, _ := excelize.ColumnNumberToName(i + 1)
		b.keep(b.f.SetColWidth(sheet, c, c, w))
	}
}
