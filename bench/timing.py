"""Timing and machine description shared by the benchmarks.

Why ratios: the machines are shared and noisy, so every figure is also given as a ratio
against a baseline measured in the same run, interleaved query by query — a noisy moment
slows both sides alike."""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import psutil


def timed_us(fn: Callable[[], object], repeat: int = 3) -> float:
    """The median of `repeat` single calls, in microseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1e3)
    return statistics.median(samples)


async def atimed_us(fn: Callable[[], Awaitable[object]], repeat: int = 3) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        await fn()
        samples.append((time.perf_counter_ns() - start) / 1e3)
    return statistics.median(samples)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(values: list[float]) -> dict[str, float]:
    """Median and p99 (microseconds) of per-query samples."""
    return {
        "median_us": statistics.median(values) if values else float("nan"),
        "p99_us": percentile(values, 0.99),
        "n": len(values),
    }


def rss_bytes() -> int:
    gc.collect()
    return psutil.Process().memory_info().rss


def machine() -> dict[str, object]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": psutil.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else psutil.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": _sqlite_version(),
    }


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version
