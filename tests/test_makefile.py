"""`make run` installs only what running needs; `make test` adds the test and bench extras;
a browser test skipped for want of Chromium is said plainly in pytest's summary, and fails
under CI=1. (`make -n` prints the recipes without running them.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def installs(target: str, tmp_path: Path) -> list[str]:
    """What the pip installs of `make <target>` would install in a fresh checkout."""
    done = subprocess.run(
        ["make", "-n", "-B", target, f"VENV={tmp_path}/venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        line.split()[-1].strip("'\"")
        for line in done.stdout.splitlines()
        if "pip install" in line and "--upgrade pip" not in line
    ]


def test_make_run_installs_only_what_running_needs(tmp_path: Path) -> None:
    assert installs("run", tmp_path) == [".[sandbox]"]  # the playground runs without a token


def test_make_test_installs_the_test_and_bench_extras(tmp_path: Path) -> None:
    assert installs("test", tmp_path)[-1] == ".[sandbox,test,bench]"


def run_page_test(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(PLAYGROUND_CHROMIUM=str(tmp_path / "no-chromium"), **env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/playground/test_page.py",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_a_missing_browser_is_said_in_the_summary_and_fails_under_ci(tmp_path: Path) -> None:
    skipped = run_page_test(tmp_path)
    assert skipped.returncode == 0, skipped.stdout[-2000:]
    lines = [line for line in skipped.stdout.splitlines() if "NOT RUN" in line]
    assert len(lines) == 1, skipped.stdout
    assert str(tmp_path / "no-chromium") in lines[0] and "apt install chromium" in lines[0]
    failed = run_page_test(tmp_path, CI="1")
    assert failed.returncode != 0, failed.stdout[-2000:]
