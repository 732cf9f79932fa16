"""Observatoire: the indicators that steer and evaluate the insertion policy, computed from
the read model, with their French definitions (rendered in docs/indicateurs.md)."""
