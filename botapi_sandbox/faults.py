"""Fault injection: make chosen Bot API calls fail as Telegram sometimes does — 429 with
retry_after, 500/502, a request held past the client's timeout, a dropped connection — to
test how the bot copes. For "timeout" and "disconnect", ``apply=True`` performs the call
anyway before failing (Telegram sometimes sends the message and the client never learns).

    server.faults.add("sendMessage", "429", count=2, retry_after=1)
    server.faults.add("*", "502", count=-1, probability=0.05, seed=7)
    server.faults.add("sendMessage", "timeout", delay=6, apply=True)
    server.faults.add("sendMessage", "429", chat_id=bob.id)  # only calls into Bob's chat
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

KINDS = ("429", "500", "502", "timeout", "disconnect")


@dataclass
class Fault:
    method: str  # a method name (case-insensitive) or "*"
    kind: str  # one of KINDS
    count: int = 1  # how many more times (-1: forever)
    probability: float = 1.0
    retry_after: int = 1  # for "429"
    delay: float = 0.0  # seconds to hold the request first ("timeout": 0 means 30 s)
    apply: bool = False  # "timeout"/"disconnect": perform the call anyway
    seed: int | None = None  # a private random stream, for reproducible probabilities
    chat_id: int | str | None = None  # only calls whose chat_id is this one
    rng: random.Random | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {KINDS}")
        if self.seed is not None:
            self.rng = random.Random(self.seed)

    def matches(self, method: str, params: dict | None = None) -> bool:
        if self.chat_id is not None and str((params or {}).get("chat_id")) != str(self.chat_id):
            return False
        return self.method == "*" or self.method.lower() == method.lower()


@dataclass
class Faults:
    rules: list[Fault] = field(default_factory=list)
    injected: dict[str, int] = field(default_factory=dict)  # kind → how many so far
    log: list[tuple[str, str]] = field(default_factory=list)  # (method, kind), in order
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def add(self, method: str = "*", kind: str = "500", **options: object) -> Fault:
        fault = Fault(method=method, kind=kind, **options)  # type: ignore[arg-type]
        self.rules.append(fault)
        return fault

    def clear(self) -> None:
        self.rules.clear()

    @property
    def total(self) -> int:
        return sum(self.injected.values())

    def pick(self, method: str, params: dict | None = None) -> Fault | None:
        """The fault to inject into this call (its raw parameters: `params`), if any (and
        count it)."""
        for fault in self.rules:
            if not fault.matches(method, params) or fault.count == 0:
                continue
            if (fault.rng or self.rng).random() >= fault.probability:
                continue
            if fault.count > 0:
                fault.count -= 1
            self.injected[fault.kind] = self.injected.get(fault.kind, 0) + 1
            self.log.append((method, fault.kind))
            return fault
        return None
