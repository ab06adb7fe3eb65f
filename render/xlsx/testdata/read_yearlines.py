"""Reads the "By year" sheet of a devolve workbook with openpyxl (an
independent Python reader) and prints its rows as JSON: section, name,
measure, year, mean, P5, P50, P95, each cell's value and data type. Used by
TestYearLinesSheetIndependentReader."""
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["By year"]
rows = []
for r in ws.iter_rows(min_row=2, max_col=10):
    rows.append({
        "section": r[0].value, "name": r[1].value, "measure": r[2].value, "year": r[3].value,
        "values": [c.value for c in r[5:9]], "types": [c.data_type for c in r[5:9]],
        "prices": r[9].value,
    })
print(json.dumps({"sheets": wb.sheetnames, "pane": ws.freeze_panes, "rows": rows}))
