"""Alembic migrations of the read model (``python -m store.migrations`` runs them)."""
