"""Seeding: synthetic professional networks for benchmarks (`network.py`) and a believable
demo population for the playground (`demo.py`); `python -m bridge.seed` for both."""

from bridge.seed.demo import seed_demo
from bridge.seed.network import powerlaw_cluster_edges, profiles

__all__ = ["seed_demo", "powerlaw_cluster_edges", "profiles"]
