"""Characters nobody types (NUL, controls, lone surrogates, bidirectional overrides): the fields
of a value that hold one, named as in the other refusals. Checked on every request by
web/securite/saisies.py, and on the partner events after their signature (partenaires/)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

# C0 controls but tab and line breaks, DEL and C1 controls, surrogates (only lone ones reach
# Python strings), bidi embeddings, overrides and isolates, and the two noncharacters.
INTERDITS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)


def _nom(caractere: str) -> str:
    code = f"U+{ord(caractere):04X}"
    nom = unicodedata.name(caractere, "")
    return f"{code} {nom.lower()}" if nom else code


def _message(valeur: str) -> str | None:
    trouve = INTERDITS.search(valeur)
    if trouve is None:
        return None
    return f"Caractère invisible ou de contrôle non permis ({_nom(trouve.group())}) : retirez-le"


def problemes(valeur: Any, chemin: str = "") -> list[dict[str, str]]:
    """The fields (dotted paths, as in the other refusals) holding a forbidden character."""
    return list(_parcourir(valeur, chemin))


def _parcourir(valeur: Any, chemin: str) -> Iterator[dict[str, str]]:
    if isinstance(valeur, str):
        if (message := _message(valeur)) is not None:
            yield {"champ": chemin or "corps", "message": message}
    elif isinstance(valeur, dict):
        for cle, sous in valeur.items():
            cle = str(cle)
            ici = f"{chemin}.{cle}" if chemin else cle
            if (message := _message(cle)) is not None:
                yield {"champ": chemin or "corps", "message": f"Nom de champ : {message}"}
                continue
            yield from _parcourir(sous, ici)
    elif isinstance(valeur, list):
        for i, sous in enumerate(valeur):
            yield from _parcourir(sous, f"{chemin}.{i}" if chemin else str(i))
