"""`python -m bridge.playground`: the local playground, even when a bot token is configured
(settings as `make run` reads them, PLAYGROUND_PORT and PLAYGROUND_DATABASE_URL among them)."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from bridge.config import Settings
from bridge.playground import run_playground


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"The configuration is invalid:\n{exc}", file=sys.stderr)
        return 2
    return run_playground(settings)


if __name__ == "__main__":
    sys.exit(main())
