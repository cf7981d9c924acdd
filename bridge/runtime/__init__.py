"""The running bot around the handlers: the Application and its assembly, the update intake, the
delivery worker and its notifier, the renderer (templates and catalogs), Telegram media, start-up
and the process runner."""
