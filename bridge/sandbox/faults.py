"""Fault injection: make chosen Bot API calls fail as Telegram sometimes does (429 with
retry_after, 5xx, a timeout, a dropped connection), to test how the bot copes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Fault:
    method: str  # a method name (case-insensitive) or "*"
    kind: str  # "429" | "500" | "502" | "timeout" | "disconnect"
    count: int = 1  # how many times (-1: forever)
    probability: float = 1.0
    retry_after: int = 1
    delay: float = 0.0  # for "timeout": how long to hold the request
    apply: bool = False  # for "timeout": perform the call anyway (Telegram sometimes does)


@dataclass
class Faults:
    rules: list[Fault] = field(default_factory=list)
    injected: dict[str, int] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def add(self, method: str, kind: str, **options: object) -> Fault:
        fault = Fault(method=method, kind=kind, **options)  # type: ignore[arg-type]
        self.rules.append(fault)
        return fault

    def clear(self) -> None:
        self.rules.clear()

    def pick(self, method: str) -> Fault | None:
        for fault in self.rules:
            if fault.method not in ("*", method) and fault.method.lower() != method.lower():
                continue
            if fault.count == 0 or self.rng.random() >= fault.probability:
                continue
            if fault.count > 0:
                fault.count -= 1
            self.injected[fault.kind] = self.injected.get(fault.kind, 0) + 1
            return fault
        return None
