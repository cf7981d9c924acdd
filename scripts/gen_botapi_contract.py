"""Derive the Bot API contract the sandbox validates against from the official spec.

    python scripts/gen_botapi_contract.py [path/to/api.json]

Writes `bridge/sandbox/botapi_contract.json`: the spec's version, and for every method its
parameters (types, required) and return type — data only, so the project runs without
`../shared`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "telegram-bot-api" / "api.json"
OUT = ROOT / "bridge" / "sandbox" / "botapi_contract.json"


def derive(spec: dict) -> dict:
    methods = {}
    for name, method in sorted(spec["methods"].items()):
        methods[name] = {
            "returns": method.get("returns", []),
            "params": {
                field["name"]: {"types": field["types"], "required": field["required"]}
                for field in method.get("fields", [])
            },
        }
    update_fields = [f["name"] for f in spec["types"]["Update"]["fields"]]
    return {"version": spec["version"], "methods": methods, "update_fields": update_fields}


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SPEC
    contract = derive(json.loads(source.read_text(encoding="utf-8")))
    OUT.write_text(json.dumps(contract, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(contract['methods'])} methods of Bot API {contract['version']} → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
