"""The partner events: their checks once the request is read, their recording, their routing to
a parcours and their delivery by the dispatcher, the partners' adapters and batch files.
Imported by the web app (which receives them) and by the worker (which runs the dispatcher and
the outbound calls); nothing here imports web/ (tests/core/test_couches.py)."""
