"""Business rules as data (YAML files beside this package) and the small evaluators that read them.

Evaluators are pure functions: the vigie runs inside the workflow on a rules snapshot kept in
the parcours state; orientation runs in an activity. Nothing here uses ``eval``.
"""
