"""Where the CPU went during a benchmark run: each component's processes (a process and its
children: nginx's and PostgreSQL's workers are children of their master), this process
(the Bot API server and the simulated users run in the benchmark's own loop), the rest of
the machine (other jobs), and what stayed idle — each as a share of one core over the
measured window. A component near 1.0 is saturating a core; a machine with no idle left is
the limit whatever the design does."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import psutil


def _tree_times(roots: Iterable[int]) -> dict[int, float]:
    """CPU seconds (user + system) of each live process under `roots`, by pid."""
    seen: dict[int, float] = {}
    for root in roots:
        try:
            parent = psutil.Process(root)
            for process in [parent, *parent.children(recursive=True)]:
                try:
                    times = process.cpu_times()
                except psutil.Error:
                    continue
                seen[process.pid] = float(times.user + times.system)
        except psutil.Error:
            continue
    return seen


def _machine() -> tuple[float, float, float]:
    """(busy, idle, stolen) CPU seconds of the whole machine, every core summed; stolen is
    what a virtual machine's host gave to other guests."""
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    steal = getattr(times, "steal", 0.0)
    total = sum(times)
    # guest time is already counted in user on Linux
    total -= getattr(times, "guest", 0.0) + getattr(times, "guest_nice", 0.0)
    return total - idle - steal, idle, steal


@dataclass
class CpuShares:
    """Sample `components` (name → root pids) at `start()` and `stop()`; `shares()` is each
    one's CPU over the window in cores (1.0 = one core busy throughout)."""

    components: Mapping[str, Iterable[int]]
    _before: dict[str, dict[int, float]] = field(default_factory=dict)
    _after: dict[str, dict[int, float]] = field(default_factory=dict)
    _machine_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    _machine_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    _wall: float = 0.0

    def start(self) -> None:
        self._wall = time.monotonic()
        self._before = {name: _tree_times(pids) for name, pids in self.components.items()}
        self._before["bench"] = _tree_times([os.getpid()])
        self._machine_before = _machine()

    def stop(self) -> None:
        self._wall = time.monotonic() - self._wall
        self._after = {name: _tree_times(pids) for name, pids in self.components.items()}
        self._after["bench"] = _tree_times([os.getpid()])
        self._machine_after = _machine()

    def shares(self) -> dict[str, float]:
        """Cores used by each component, by the bench process, by everything else on the
        machine (`other`), left `idle`, and taken by a virtual machine's host (`steal`);
        with `cores` (the machine's)."""
        wall = max(self._wall, 1e-9)
        shares: dict[str, float] = {}
        for name, after in self._after.items():
            before = self._before.get(name, {})
            # A process born in the window counts from 0; one gone in it is not counted.
            used = sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())
            shares[name] = max(0.0, used) / wall
        busy = (self._machine_after[0] - self._machine_before[0]) / wall
        idle = (self._machine_after[1] - self._machine_before[1]) / wall
        steal = (self._machine_after[2] - self._machine_before[2]) / wall
        shares["other"] = max(0.0, busy - sum(shares.values()))
        shares["idle"] = max(0.0, idle)
        shares["steal"] = max(0.0, steal)
        shares["cores"] = float(psutil.cpu_count() or 1)
        return shares
