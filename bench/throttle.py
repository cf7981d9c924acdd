"""Hold processes to a share of a core (a cgroup each, CFS quota), to show whether the
machine's cores or the design limit a benchmark: workers held to half a core each leave the
rest of a 2-core machine to PostgreSQL and the harness, so what two of them do against one
is the design's scaling, not the cores'. Needs a writable cgroup tree (root in a container
or on a host with cgroup v1's `cpu` controller or cgroup v2)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PERIOD_US = 100_000
V1 = Path("/sys/fs/cgroup/cpu")
V2 = Path("/sys/fs/cgroup")


class NoThrottle(RuntimeError):
    """The cgroup tree cannot be written here."""


def _group(name: str, cores: float) -> tuple[Path, Path]:
    """A new cgroup limited to `cores`: (its directory, the file taking a pid)."""
    quota = max(1000, int(cores * PERIOD_US))
    if (V1 / "cpu.cfs_quota_us").exists():
        group = V1 / name
        group.mkdir()
        (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (group / "cpu.cfs_quota_us").write_text(str(quota))
    elif (V2 / "cgroup.controllers").exists():
        group = V2 / name
        group.mkdir()
        (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")
    else:
        raise NoThrottle("no cgroup cpu controller found")
    return group, group / "cgroup.procs"


@contextmanager
def throttled(pids: list[int], cores: float) -> Iterator[None]:
    """Each of `pids` held to `cores` (its own quota) until the block ends."""
    groups: list[Path] = []
    try:
        for pid in pids:
            try:
                group, procs = _group(f"bench-throttle-{os.getpid()}-{pid}", cores)
            except OSError as exc:
                raise NoThrottle(f"cannot create a cgroup: {exc}") from exc
            groups.append(group)
            procs.write_text(str(pid))
        yield
    finally:
        for group in groups:
            parent = group.parent / "cgroup.procs"
            for stray in (group / "cgroup.procs").read_text().split():
                try:  # back to the root group before the group can go
                    parent.write_text(stray)
                except OSError:
                    pass
            try:
                group.rmdir()
            except OSError:
                pass
