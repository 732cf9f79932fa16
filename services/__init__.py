"""Services under the routes, above the workflows: the web app, the worker's activities, the
imports and the demo loader go through them to reach a parcours. Nothing here imports web/
(tests/core/test_couches.py)."""
