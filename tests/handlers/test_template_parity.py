"""Every English template has a French twin with the same macros and arguments, and every
typed error of the core has its own text in both languages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bridge.core import errors
from bridge.core.models import Degree
from bridge.handlers.registry import COMMANDS
from bridge.handlers.render import TEMPLATES, Renderer

renderer = Renderer()
FILES = sorted(p.name for p in (TEMPLATES / "en").glob("*.j2"))


def _macros(lang: str, name: str) -> dict[str, tuple[str, ...]]:
    module = renderer.env.get_template(f"{lang}/{name}").module
    return {k: getattr(module, k).arguments for k in dir(module)
            if not k.startswith("_") and hasattr(getattr(module, k), "arguments")}


@pytest.mark.parametrize("name", FILES)
def test_french_twin_has_the_same_macros(name: str) -> None:
    assert (TEMPLATES / "fr" / name).exists()
    assert _macros("fr", name) == _macros("en", name)


def _all_errors() -> list[type[errors.BridgeError]]:
    found, todo = [], [errors.BridgeError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


PARAMS = {"handle": "x", "field": "about", "fields": ["headline"], "length": 9, "limit": 8,
          "value": "v", "choices": ["en", "fr"], "setting": "language",
          "until": datetime(2026, 12, 1, tzinfo=UTC), "next_at": datetime(2026, 12, 1, tzinfo=UTC),
          "status": "accepted", "ways": ["invite", "inmail"], "plan": "x", "plans": ["free"],
          "renews_at": None, "allowance": 0, "min": 1, "max": 1000}


@pytest.mark.parametrize("lang", ["en", "fr"])
# NotAdmin deliberately answers as an unknown command (failures.py): admins' commands stay
# invisible to everyone else.
@pytest.mark.parametrize("error", [e for e in _all_errors() if e is not errors.NotAdmin],
                         ids=lambda e: e.code)
def test_every_core_error_has_its_own_text(lang: str, error) -> None:
    text = renderer.text(lang, "errors", "error", code=error.code, p=PARAMS)
    assert "didn't work" not in text and "n'a pas fonctionné" not in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_badges_and_command_descriptions(lang: str) -> None:
    badges = [renderer.badge(lang, d) for d in (Degree.FIRST, Degree.SECOND, Degree.THIRD,
                                                 Degree.OUT)]
    assert badges == (["1st", "2nd", "3rd", "Out of network"] if lang == "en"
                      else ["1er", "2e", "3e", "Hors réseau"])
    for command in COMMANDS:
        assert 1 <= len(renderer.text(lang, "help", "description", name=command.name)) <= 256


def test_templates_folder_is_inside_the_project() -> None:
    assert Path(TEMPLATES).is_relative_to(Path(__file__).resolve().parents[2])
