"""Derive the Bot API contract the sandbox validates against from the official spec.

    python scripts/gen_botapi_contract.py [path/to/api.json]

The spec (`api.json`, Bot API documentation scraped into JSON, MIT) lives outside the
project, in ``../shared/telegram-bot-api/``; the project must run without it, so this script
writes the few facts the sandbox needs into `botapi_sandbox/botapi_contract.json`:

- ``version``: the spec's version string;
- ``methods``: every method → ``{"params": {name: {"types": [...], "required": bool}},
  "returns": [...]}``;
- ``types``: every object type reachable from a method's parameters (the objects a bot
  sends: keyboards, reply parameters, entities, command scopes, ...) →
  ``{"fields": {...as params...}}``, abstract ones ``{"fields": {}, "subtypes": [...],
  "discriminator": {"field": "type", "values": {subtype: value}}}``;
- ``update_fields``: the fields of ``Update`` (every kind of update, in the spec's order);
- ``reaction_emojis``: the emojis ``ReactionTypeEmoji`` may carry.

Derived data only (no descriptions), sorted, so that a regenerated file diffs cleanly.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "telegram-bot-api" / "api.json"
OUT = ROOT / "bridge" / "sandbox" / "botapi_contract.json"
PRIMITIVES = {"Integer", "String", "Boolean", "Float", "InputFile", "True"}
_ALWAYS = re.compile(r'(?:always|must be)\s+[“"]?([a-z_]+)[”"]?')


def _fields(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: {"types": list(f["types"]), "required": bool(f["required"])} for f in fields}


def _base_type(name: str) -> str:
    while name.startswith("Array of "):
        name = name[len("Array of ") :]
    return name


def _discriminator(spec_type: dict[str, Any]) -> tuple[str, str] | None:
    """The field (``type``, ``source``, ...) and the value of it selecting this subtype."""
    for field in spec_type.get("fields", []):
        if field["name"] in ("type", "source", "status"):
            match = _ALWAYS.search(field.get("description", ""))
            if match:
                return field["name"], match.group(1)
    return None


def _reachable_types(spec: dict[str, Any]) -> list[str]:
    """Object types a bot can send, found by walking method parameters into their fields."""
    types = spec["types"]
    todo = [
        _base_type(t)
        for m in spec["methods"].values()
        for f in m.get("fields", [])
        for t in f["types"]
    ]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name in PRIMITIVES or name not in types:
            continue
        seen.add(name)
        spec_type = types[name]
        todo.extend(spec_type.get("subtypes", []))
        todo.extend(_base_type(t) for f in spec_type.get("fields", []) for t in f["types"])
    return sorted(seen)


def derive(spec: dict[str, Any]) -> dict[str, Any]:
    methods = {
        name: {
            "returns": list(method.get("returns", [])),
            "params": _fields(method.get("fields", [])),
        }
        for name, method in sorted(spec["methods"].items())
    }
    types: dict[str, Any] = {}
    for name in _reachable_types(spec):
        spec_type = spec["types"][name]
        entry: dict[str, Any] = {"fields": _fields(spec_type.get("fields", []))}
        subtypes = spec_type.get("subtypes", [])
        if subtypes:
            entry["subtypes"] = list(subtypes)
            found = {
                sub: pair
                for sub in subtypes
                if (pair := _discriminator(spec["types"].get(sub, {}))) is not None
            }
            if found:
                entry["discriminator"] = {
                    "field": next(iter(found.values()))[0],
                    "values": {sub: value for sub, (_, value) in found.items()},
                }
        types[name] = entry
    update_fields = [f["name"] for f in spec["types"]["Update"]["fields"]]
    emoji_field = next(
        f for f in spec["types"]["ReactionTypeEmoji"]["fields"] if f["name"] == "emoji"
    )
    emojis = re.findall(r'"([^"]+)"', emoji_field["description"])
    return {
        "version": spec["version"],
        "methods": methods,
        "types": types,
        "update_fields": update_fields,
        "reaction_emojis": emojis,
    }


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SPEC
    if not source.is_file():
        print(f"no spec at {source}; pass the path to api.json", file=sys.stderr)
        return 2
    contract = derive(json.loads(source.read_text(encoding="utf-8")))
    OUT.write_text(
        json.dumps(contract, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(
        f"{len(contract['methods'])} methods, {len(contract['types'])} types of "
        f"{contract['version']} → {OUT.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
