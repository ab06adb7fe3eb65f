// Package xlsx writes a run or a comparison as an Excel workbook
// (github.com/xuri/excelize/v2) for finance officers: every number is
// stored as a number with a number format (£, %, years), header rows are
// frozen, and the headline figures are workbook names (NPV_P50, NPV_Mean,
// OneOff_P50, P_NPV_positive, ...) that other workbooks can refer to. It
// computes nothing beyond the summary statistics of input draws: every other
// number comes from the model packages. docs/OUTPUT.md lists the sheets.
package xlsx
