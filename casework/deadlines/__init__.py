"""The reminder engine: the deadline registry and sources (read), the sweep and the delivery outbox (write),
and the chart of deadlines ahead. DESIGN.md, "Reminders: the semantics"; docs/reminders-engine.md."""
