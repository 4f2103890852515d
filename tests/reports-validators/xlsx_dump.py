"""Open a workbook with openpyxl and print its sheets, cells, frozen panes and filters as JSON."""
import json
import sys

import openpyxl


def value(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return round(v, 4)
    return v if isinstance(v, (int, str, bool)) else str(v)


wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "freeze": {}, "filter": {}, "cells": {}}
for ws in wb.worksheets:
    out["freeze"][ws.title] = ws.freeze_panes
    out["filter"][ws.title] = ws.auto_filter.ref
    out["cells"][ws.title] = [[value(v) for v in row] for row in ws.iter_rows(values_only=True)]
print(json.dumps(out, ensure_ascii=False, indent=1))
