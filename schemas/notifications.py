"""The kinds of in-app notification, declared once: their label, where each one leads, and the
preferences an account starts with.

Whoever writes a notification names its kind here (store.notifications.notifier, or the
``sorte`` of a ``Courriel`` sent to ``compte:<id>``); the cockpit's centre, the preferences page
and the e-mail digest read this table and nothing else."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sorte:
    code: str
    libelle: str
    # Where the notification leads when its writer gives no link: ``{parcours_id}`` and
    # ``{objet}`` (an import's id, …) are filled from the notification.
    lien: str
    dans_application: bool = True  # shown in the header's centre
    recapitulatif: bool = False  # counted in the daily e-mail digest while unread
    # Also sent at once by e-mail, as every message to an account was before the centre existed.
    courriel_immediat: bool = True


AUTRE = "autre"
SORTES: dict[str, Sorte] = {
    s.code: s
    for s in (
        Sorte(
            "transfert_a_accuser",
            "Transfert à accuser",
            "/parcours/{parcours_id}",
            recapitulatif=True,
        ),
        Sorte("demande_rattachement", "Demande de rattachement", "/parcours/{parcours_id}"),
        Sorte("rattachement_accepte", "Rattachement accepté", "/parcours/{parcours_id}"),
        Sorte("rattachement_refuse", "Rattachement refusé", "/"),
        Sorte(
            "rupture",
            "Rupture sur mes parcours",
            "/parcours/{parcours_id}",
            recapitulatif=True,
            courriel_immediat=False,  # the daily digest already lists them by e-mail
        ),
        Sorte("note_adressee", "Note qui m'est adressée", "/parcours/{parcours_id}"),
        Sorte(
            "ajout_equipe",
            "Invitation dans l'équipe de suivi d'un parcours",
            "/parcours/{parcours_id}",
        ),
        Sorte(
            "activite_equipe",
            "Note ou document ajouté par l'équipe à un parcours que je suis",
            "/parcours/{parcours_id}",
            recapitulatif=True,
            courriel_immediat=False,  # a busy team would flood the inbox: the digest counts them
        ),
        Sorte("import_termine", "Import terminé", "/imports/{objet}", courriel_immediat=False),
        # Messages to an account written before the kinds existed, or of no kind above
        # (relances, réunions multipartenaires, transferts vus par l'ancien référent…).
        Sorte(AUTRE, "Autres messages", "/parcours/{parcours_id}"),
    )
}


def sorte(code: str | None) -> Sorte:
    return SORTES.get(code or AUTRE, SORTES[AUTRE])


def lien(code: str | None, parcours_id: str | None, objet: str | None = None) -> str | None:
    """The kind's link for this notification, or None when it names nothing to fill it."""
    modele = sorte(code).lien
    if ("{parcours_id}" in modele and not parcours_id) or ("{objet}" in modele and not objet):
        return None
    return modele.format(parcours_id=parcours_id or "", objet=objet or "")
