"""What the audit keeps of a list's filters: everything but the words typed to find a person.

A name typed in a search would outlive the person's anonymisation in the audit log, which
cannot be rewritten (it is hash-chained). The log keeps that a search was made, by whom and
with which filters; the words themselves are replaced by their length."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from fastapi import Request

# Query parameters that carry what a person typed to find someone.
SAISIES_LIBRES = frozenset({"q", "nom", "prenom", "recherche"})


def requete_auditee(request: Request, limite: int = 300) -> str:
    paires = [
        (cle, f"<{len(valeur)} caractères>" if cle in SAISIES_LIBRES and valeur else valeur)
        for cle, valeur in parse_qsl(request.url.query, keep_blank_values=True)
    ]
    return urlencode(paires, safe="<> ")[:limite]
