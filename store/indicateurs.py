"""Daily snapshots of the indicators (observatoire) — tables defined by the observatoire."""
