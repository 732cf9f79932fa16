"""Workflow ids from business keys — never personal data (they are visible in Temporal)."""

from __future__ import annotations


def parcours_workflow_id(parcours_id: str) -> str:
    return f"parcours-{parcours_id}"


def enfant_workflow_id(parcours_id: str, kind: str, numero: int) -> str:
    return f"parcours-{parcours_id}-{kind}-{numero}"


def reference(parcours_id: str) -> str:
    """Short reference people read aloud on the phone."""
    return parcours_id[:8].upper()
