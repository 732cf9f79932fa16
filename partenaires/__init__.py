"""The partner events once received: their routing to a parcours and their delivery by the
dispatcher. Imported by the web app (which receives them) and by the worker (which runs the
dispatcher); nothing here imports web/ (tests/core/test_couches.py)."""
