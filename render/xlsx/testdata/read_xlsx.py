"""Reads a devolve workbook with openpyxl (an independent Python reader) and
prints, as JSON, each sheet's frozen pane, every defined name with the value,
data type and number format of the cell it refers to, and the Summary
sheet's rows 1-11. Used by TestWorkbookIndependentReader."""
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

summary = wb["Summary"]
print(json.dumps({
    "sheets": wb.sheetnames,
    "panes": {ws.title: ws.freeze_panes for ws in wb.worksheets},
    "names": names,
    "summary": [[cell(c) for c in row] for row in summary.iter_rows(min_row=1, max_row=11, max_col=10)],
}))
