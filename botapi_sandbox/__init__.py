"""A local Bot API server for tests and the playground: it speaks the Bot API over HTTP as
Telegram does, validates every request against the official contract, and hosts simulated
users who chat with the bot."""
