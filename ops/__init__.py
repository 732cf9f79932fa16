"""Operators' tools: find and repair parcours that Temporal can no longer run (docs/reliability.md)."""
