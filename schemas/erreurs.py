"""The error codes machines read in a refusal (``code`` of the API's problem detail, ``type`` of a
workflow's ``ApplicationError``), declared once: each was a bare string repeated in up to a dozen
modules, where a typo made a new code silently (issue 21). A ``StrEnum``: its members are the
strings themselves, so the JSON, the histories and the comparisons are unchanged.

Here, below every layer, because the workflows raise some of them too."""

from __future__ import annotations

from enum import StrEnum


class CodeErreur(StrEnum):
    """A code that more than one module writes; a code written in one place stays where it is."""

    # Input
    DONNEES_INVALIDES = "donnees_invalides"
    JSON_INVALIDE = "json_invalide"
    PERIODE_INVALIDE = "periode_invalide"
    LIEN_INVALIDE = "lien_invalide"
    # Who asks
    NON_AUTHENTIFIE = "non_authentifie"
    SIGNATURE_INVALIDE = "signature_invalide"
    PARTENAIRE_INCONNU = "partenaire_inconnu"
    HORS_TERRITOIRE = "hors_territoire"
    # What is asked for
    PARCOURS_INCONNU = "parcours_inconnu"
    COMPTE_INCONNU = "compte_inconnu"
    JETON_INCONNU = "jeton_inconnu"
    INDICATEUR_INCONNU = "indicateur_inconnu"
    COMMANDE_INCONNUE = "commande_inconnue"
    # State
    COMMANDE_REFUSEE = "commande_refusee"
    PARCOURS_CLOS = "parcours_clos"
    TEMPORAL_INDISPONIBLE = "temporal_indisponible"
