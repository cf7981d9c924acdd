"""Bridge: a professional network that lives in Telegram."""

import os

# Opt in to python-telegram-bot's coming API: media durations as `timedelta` (v22.2+).
os.environ.setdefault("PTB_TIMEDELTA", "1")
