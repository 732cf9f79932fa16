"""What every route of a parcours answers besides the parcours: its documented errors, and
the parcours' version as an ETag that a command sends back in If-Match."""

from __future__ import annotations

from typing import Any

from schemas.parcours import ParcoursState
from web.erreurs import Erreur, Refus

ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Authentification requise"},
    403: {"model": Erreur, "description": "Action réservée à d'autres rôles"},
    404: {"model": Erreur, "description": "Parcours inconnu ou hors de votre périmètre"},
    409: {
        "model": Erreur,
        "description": "Commande impossible dans l'état actuel du parcours (`commande_refusee`), "
        "ou parcours changé depuis la version envoyée dans `If-Match` (`conflit_de_version`), "
        "ou personne déjà suivie (`doublon`), ou identifiant partenaire porté par un autre "
        "parcours ouvert (`identifiant_attribue`)",
    },
    413: {"model": Erreur, "description": "Requête de plus de 1 Mo"},
    415: {"model": Erreur, "description": "Corps d'un autre type que JSON (`type_contenu`)"},
    422: {"model": Erreur, "description": "Données invalides (champs nommés)"},
    429: {"model": Erreur, "description": "Trop de doublons signalés en une heure (accueil)"},
    503: {"model": Erreur, "description": "Moteur de parcours injoignable"},
}
ERREURS_COMMANDE: dict[int | str, dict[str, Any]] = {
    400: {"model": Erreur, "description": "En-tête `If-Match` illisible (`if_match_invalide`)"},
    **ERREURS,
}


IF_MATCH = (
    'Facultatif : l\'`ETag` reçu en consultant le parcours (sa version, par exemple `"12"`). '
    "Si le parcours a changé depuis (une commande, un événement partenaire, un sous-processus), "
    "la commande est refusée sans rien appliquer : 409 `conflit_de_version`. `*` ou absent : "
    "pas de contrôle."
)
VERSIONNEMENT = """

**Versionnement optimiste.** Envoyez `If-Match` avec l'`ETag` de `GET /api/v1/parcours/{id}`
(ou de la réponse à la commande précédente) : si quelqu'un a changé le parcours entre-temps,
la réponse est 409 `conflit_de_version` (« Le parcours a changé entre-temps : rechargez-le
avant de recommencer ») et rien n'est appliqué. La version ne change qu'avec une commande, un
événement partenaire ou un sous-processus (contrat, PMSMP, emploi), jamais avec la vigie."""


def etag(state: ParcoursState) -> str:
    """The parcours' business version as an HTTP entity tag."""
    return f'"{state.version_metier}"'


def version_de_if_match(valeur: str | None) -> int | None:
    """``"12"`` → 12; absent or ``*`` → no check; anything else is refused (400)."""
    if valeur is None or valeur.strip() in ("", "*"):
        return None
    texte = valeur.strip()
    if texte.startswith('"') and texte.endswith('"') and len(texte) >= 2:
        texte = texte[1:-1]
    if not texte.isascii() or not texte.isdigit() or len(texte) > 12:
        raise Refus(
            400,
            "En-tête If-Match invalide : renvoyez l'ETag reçu en consultant le parcours "
            '(par exemple "12")',
            "if_match_invalide",
        )
    return int(texte)
