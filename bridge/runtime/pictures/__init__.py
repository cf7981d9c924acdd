"""Pictures the bot sends as photos (PNG): the /card business card and the /stats chart.

Drawn with matplotlib's object API on the Agg canvas (no pyplot: no global figure state,
safe from a worker thread), every text passed in already localized by the templates, user
content drawn as plain text (never parsed as mathtext)."""
