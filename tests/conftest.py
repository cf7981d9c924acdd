"""Shared fixtures: the core over each storage backend (tests/storage/backends.py), with a
hand-moved clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from itertools import count

import pytest
from hypothesis import HealthCheck, settings

from bridge.core.app import Core
from bridge.core.clock import FakeClock
from bridge.core.models import Member, NewMember
from bridge.core.rules import Rules
from bridge.storage.port import Store
from tests.deploy.cluster import NO_NGINX
from tests.storage.backends import BACKENDS
from tests.storage.postgres_server import REASON_PREFIX

# Tests never assert on wall-clock time, Hypothesis's per-example deadline and its "input
# generation is slow" check included: on a loaded two-core machine they fail for the load,
# not for the code.
settings.register_profile("bridge", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("bridge")

ADMIN_TELEGRAM_ID = 999_000
# The reason of a skip for want of a browser (tests/playground/test_page.py) starts with
# this; the summary below then says it in one plain line instead of one "s" among the dots.
NO_BROWSER = "[no browser]"


def _skipped(terminalreporter: pytest.TerminalReporter, marker: str) -> set[str]:
    """The reasons, after `marker`, of the skips whose reason carries it."""
    reasons = set()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        if marker in reason:
            reasons.add(reason.split(marker, 1)[1].strip())
    return reasons


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    reasons = _skipped(terminalreporter, NO_BROWSER)
    postgres = _skipped(terminalreporter, REASON_PREFIX)
    for reason in sorted(postgres):
        terminalreporter.write_line(
            f"POSTGRESQL HALF NOT RUN: {reason}; set TEST_POSTGRES_URL or install PostgreSQL"
            " (REQUIRE_POSTGRES=1 makes this a failure).",
            yellow=True,
            bold=True,
        )
    for reason in sorted(reasons):
        terminalreporter.write_line(
            f"BROWSER TEST NOT RUN: {reason}; the playground page was not tested"
            " (CI=1 makes this a failure).",
            yellow=True,
            bold=True,
        )
    for reason in sorted(_skipped(terminalreporter, NO_NGINX)):
        terminalreporter.write_line(
            f"THREE-WORKER TEST NOT RUN: {reason} (CI=1 makes this a failure).",
            yellow=True,
            bold=True,
        )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def rules() -> Rules:
    return Rules()


@pytest.fixture(params=sorted(BACKENDS))
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    """An empty database on each storage backend in turn (tests/storage/backends.py)."""
    async with BACKENDS[request.param]() as opened:
        yield opened


@pytest.fixture
async def core(clock: FakeClock, rules: Rules, store: Store) -> Core:
    """The core over each backend: its rules are tested against the port, not one adapter."""
    return await Core.open(
        store, rules=rules, clock=clock, admin_telegram_ids=frozenset({ADMIN_TELEGRAM_ID})
    )


MakeMember = Callable[..., Awaitable[Member]]

_ids = count(1000)


@pytest.fixture
def member(core: Core) -> MakeMember:
    """Register a member: ``await member("Alice", "Martin", username="alice")``."""

    async def make(
        first: str = "Member",
        last: str = "",
        *,
        username: str | None = None,
        language: str = "en",
        telegram_id: int | None = None,
        **profile: str,
    ) -> Member:
        created, _ = await core.members.register(
            NewMember(
                telegram_id=telegram_id or next(_ids),
                first_name=first,
                last_name=last,
                username=username,
                language=language,
            )
        )
        for field, value in profile.items():
            created = await core.members.edit_profile(created.id, field, value)
        return created

    return make


async def connect(core: Core, a: Member, b: Member) -> None:
    """Make two members 1st-degree connections the way users do: invite, accept."""
    outcome = await core.invitations.invite(a.id, b.id, None)
    await core.invitations.accept(b.id, outcome.invitation.id)
