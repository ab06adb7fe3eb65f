"""Reads a devolve workbook with openpyxl (an independent Python reader) and
prints, as JSON: the sheet names; each sheet's frozen pane; every defined
name with the value, data type and number format of the cell it refers to;
the Summary sheet's rows 1-11 (if it has one); and the "By year" sheet's
rows (if it has one): section, name, measure, year, mean, P5, P50, P95 with
each cell's data type, and prices. Used by the workbook tests
(TestWorkbookIndependentReader, TestYearLinesSheetIndependentReader,
TestCompareYearLinesSheet)."""
import json
import math
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])


def cell(c):
    v = c.value
    if isinstance(v, float) and not math.isfinite(v):
        v = str(v)
    return {"value": v, "type": c.data_type, "format": c.number_format}


names = {}
for dn in wb.defined_names.definedName:
    for sheet, ref in dn.destinations:
        names[dn.name] = dict(cell(wb[sheet][ref.replace("$", "")]), sheet=sheet, ref=ref)

out = {
    "sheets": wb.sheetnames,
    "panes": {ws.title: ws.freeze_panes for ws in wb.worksheets},
    "names": names,
}
if "Summary" in wb.sheetnames:
    out["summary"] = [[cell(c) for c in row] for row in wb["Summary"].iter_rows(min_row=1, max_row=11, max_col=10)]
if "By year" in wb.sheetnames:
    out["by_year"] = [{
        "section": r[0].value, "name": r[1].value, "measure": r[2].value, "year": r[3].value,
        "values": [c.value for c in r[5:9]], "types": [c.data_type for c in r[5:9]],
        "prices": r[9].value,
    } for r in wb["By year"].iter_rows(min_row=2, max_col=10)]
print(json.dumps(out))
