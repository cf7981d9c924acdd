"""`python -m bridge`: start the bot (see README)."""

from bridge.main import main

raise SystemExit(main())
