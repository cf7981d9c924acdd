"""The Telegram front end: python-telegram-bot handlers that parse, call the core, render."""
