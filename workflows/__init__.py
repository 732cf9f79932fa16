"""Temporal workflows — deterministic code only (no I/O, time from workflow.now())."""
