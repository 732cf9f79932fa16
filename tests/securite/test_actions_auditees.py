"""The audited actions are declared once (store/audit.py): each has a French label, which the
administration's audit page offers in its « Action » filter."""

from __future__ import annotations

from store.audit import ACTIONS_AUDIT, LIBELLES_ACTIONS


def test_chaque_action_auditee_a_son_libelle() -> None:
    assert list(LIBELLES_ACTIONS) == list(ACTIONS_AUDIT)
    assert len(set(LIBELLES_ACTIONS.values())) == len(ACTIONS_AUDIT)  # none twice in the list
