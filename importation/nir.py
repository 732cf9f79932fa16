"""The NIR (numéro de sécurité sociale) a list may carry. It is checked with python-stdnum
and, from the moment the file is read, only its HMAC under NIR_KEY is kept (in the row of the
import, to recognise the person in a later list): never the number itself, in the database,
a workflow's state or history, or the logs. An invalid NIR is kept as the reason it is
invalid, not as what was typed (a mistyped NIR is still nearly someone's)."""

from __future__ import annotations

import hashlib
import hmac

from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
from stdnum.fr import nir as stdnum_nir

from core.settings import get_settings

SCELLE = "nir-hmac:"
INVALIDE = "nir-invalide:"
RAISONS = {
    "longueur": "15 caractères attendus (13 chiffres et la clé)",
    "cle": "clé de contrôle incorrecte",
    "format": "format invalide",
}


def cle() -> bytes:
    return get_settings().nir_key.encode()


def empreinte(nir: str, secret: bytes | None = None) -> str:
    """The HMAC-SHA256 of the NIR's compact form: the same person, however the file spaced
    the digits, gives the same value; without the key, it cannot be recomputed from a NIR."""
    compact = stdnum_nir.compact(nir)
    return hmac.new(secret or cle(), compact.encode(), hashlib.sha256).hexdigest()


def sceller(texte: str, secret: bytes | None = None) -> str:
    """What a NIR cell becomes as soon as the file is read: ``nir-hmac:<hmac>`` when valid,
    ``nir-invalide:<raison>`` when not, unchanged when empty or already sealed."""
    texte = texte.strip()
    if not texte or texte.startswith((SCELLE, INVALIDE)):
        return texte
    try:
        valide = stdnum_nir.validate(texte)
    except InvalidLength:
        return INVALIDE + "longueur"
    except InvalidChecksum:
        return INVALIDE + "cle"
    except ValidationError:
        return INVALIDE + "format"
    return SCELLE + empreinte(valide, secret)


def lire(valeur: str) -> tuple[str | None, str | None]:
    """(HMAC, None) for a valid NIR, (None, French reason) for an invalid one, (None, None)
    for an empty cell. ``valeur`` is a sealed cell (a raw one is sealed first)."""
    valeur = sceller(valeur)
    if valeur.startswith(SCELLE):
        return valeur.removeprefix(SCELLE), None
    if valeur.startswith(INVALIDE):
        return None, RAISONS.get(valeur.removeprefix(INVALIDE), RAISONS["format"])
    return None, None


def valider(texte: str) -> str:
    """The HMAC of a NIR typed at an accueil; ``ValueError`` with the French reason when it is
    not a valid NIR (the reason never repeats what was typed)."""
    empreinte_, raison = lire(texte)
    if raison is not None or empreinte_ is None:
        raise ValueError(raison or RAISONS["format"])
    return empreinte_
