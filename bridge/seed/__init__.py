"""Seeding: synthetic professional networks for benchmarks (`population`, `inbox`) and a
believable demo population for the playground (`demo`); `python -m bridge.seed` for both."""

from bridge.seed.demo import seed_demo
from bridge.seed.inbox import seed_conversations
from bridge.seed.network import SyntheticNetwork, powerlaw_cluster
from bridge.seed.population import seed_network

__all__ = [
    "SyntheticNetwork",
    "powerlaw_cluster",
    "seed_conversations",
    "seed_demo",
    "seed_network",
]
