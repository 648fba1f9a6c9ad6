#!/usr/bin/env python3
"""A mock metric command (the LPIPS/FVD slot of rsv.md §6): distance 0 for byte-identical PNGs,
1 otherwise. `--garbage` answers something that is not the protocol."""
import json
import sys

request = json.load(sys.stdin)
if "--garbage" in sys.argv:
    print("no values here")
    sys.exit(0)
values = []
for pair in request["pairs"]:
    with open(pair["a"], "rb") as a, open(pair["b"], "rb") as b:
        values.append({"id": pair["id"], "value": 0.0 if a.read() == b.read() else 1.0})
print("mock metric %s: %d pairs" % (request["metric"], len(values)), file=sys.stderr)
print(json.dumps({"version": "mock-1.0", "values": values}))
