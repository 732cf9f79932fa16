"""The short booking code of a postal letter (issue 18): the person types it on the booking page,
or reads it to their référent on the phone. It plays the part of a booking link's secret: drawn
with ``secrets`` by the activity that makes the letter, never in a workflow, and only its
SHA-256 is kept (schemas.carnet.empreinte), like a link's.

Crockford's base 32 (no I, L, O, U: nothing to confuse when read aloud or typed from paper), 12
characters shown in three groups of four: 60 bits, so that even its fingerprint, if the database
leaked, would take years to reverse, and a guess on the page has no chance."""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LONGUEUR = 12
# What a person may type instead: lower case, and the letters Crockford reads as digits.
_LU_COMME = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATEURS = re.compile(r"[\s\-.]")


def nouveau_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LONGUEUR))


def afficher(code: str) -> str:
    """« K7QM-3XRP-H9TD »: the code as the letter prints it."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normaliser(saisie: str) -> str | None:
    """The code a person typed (spaces, dashes, lower case, O for 0), or None if it cannot be
    one: the booking page compares the fingerprint of that form only."""
    code = _SEPARATEURS.sub("", saisie).upper().translate(_LU_COMME)
    if len(code) != LONGUEUR or any(c not in ALPHABET for c in code):
        return None
    return code
