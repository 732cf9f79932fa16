"""A métier named by its ROME code: one declaration for every field that holds one (the
diagnostic's project, a contract objective, an offer, the pool's projects), checked against
the referential (``referentiels.rome``, loaded without I/O, so workflows validate it too)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from referentiels.rome import METIERS


def _du_referentiel(code: str) -> str:
    if code not in METIERS:
        raise ValueError("Code ROME inconnu du référentiel" + (f" : {code}" if code else ""))
    return code


def _facultatif(code: str | None) -> str | None:
    return None if code is None else _du_referentiel(code)


CodeRome = Annotated[str, AfterValidator(_du_referentiel)]
# Annotated around the union, so that the field's type stays ``str | None`` for the forms
# (web/cockpit/formulaires.py reads it to choose the input).
CodeRomeFacultatif = Annotated[str | None, AfterValidator(_facultatif)]
