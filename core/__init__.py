"""Shared plumbing: settings, Temporal connection, payload encryption, time helpers."""
