"""A non-editable install works: the wheel holds everything the package reads at run time
(templates, compiled catalogs, migrations, the playground's page, the sandbox's contract),
and, installed away from the source tree, renders a French text and loads the contract."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter (-I: no PYTHONPATH, no user site, not the current folder), from
# a folder outside the source tree, with the installed wheel first on the path.
CHECK = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[1])
    from datetime import UTC, datetime
    from importlib import resources
    from pathlib import Path

    import bridge
    assert Path(bridge.__file__).is_relative_to(sys.argv[1]), bridge.__file__

    from bridge.runtime.render import LANGUAGES, Renderer
    from botapi_sandbox.contract import CONTRACT
    r = Renderer()
    print(json.dumps({
        "languages": list(LANGUAGES),
        "fr": r.text("fr", "admin", "granted", member={"handle": "bob", "credits": 3}, amount=2),
        "when": r.text("fr", "errors", "when", moment=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
                       zone="Europe/Paris"),
        "contract": sorted(json.loads(CONTRACT.read_text()))[:1],
        "migrations": sorted(p.name for p in (resources.files("bridge.storage") / "migrations")
                             .iterdir() if p.name.endswith(".sql"))[:1],
        "page": (resources.files("bridge.playground") / "static" / "index.html").is_file(),
    }))
""")


def test_the_installed_wheel_renders_and_loads_what_it_ships(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building leaves build/ and *.egg-info behind
    shutil.copytree(
        ROOT / "bridge", source / "bridge", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    shutil.copy(ROOT / "pyproject.toml", source)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [
            *pip,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
    )
    [wheel] = (tmp_path / "dist").glob("bridge-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)], check=True
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run(
        [sys.executable, "-I", "-c", CHECK, str(site)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    shipped = json.loads(run.stdout)
    assert shipped["languages"] == ["en", "fr"]
    assert shipped["fr"] == "✅ +2 crédits InMail pour @bob : solde 3."
    assert shipped["when"] == "23 nov. 2026, 10:30 Europe/Paris"
    assert shipped["contract"] and shipped["migrations"] == ["0001_initial.sql"]
    assert shipped["page"] is True
