"""The external appointment tool, when the département books in its own (RDV_OUTIL_EXTERNE,
issue 18 item 5): what an invitation's link needs from the settings and the motif. Without it,
the platform's own agenda is the default and nothing here is used."""

from __future__ import annotations

from core.settings import Settings, get_settings
from schemas.agenda import MotifRdv
from schemas.invitation import OutilDeReservation


def reglages() -> Settings:
    return get_settings()


def outil_de_reservation(
    motif: MotifRdv, settings: Settings | None = None
) -> OutilDeReservation | None:
    """The tool where an invitation for this motif is booked, or None: the platform's agenda.
    Collective sessions stay on the platform (their seats are counted there)."""
    s = settings or reglages()
    if s.rdv_outil_externe != "rdv-solidarites" or motif.collectif:
        return None
    return OutilDeReservation(
        departement=s.rdv_solidarites_departement,
        organisation_ids=[int(i) for i in s.rdv_solidarites_organisation_ids.split(",") if i],
        categorie=motif.categorie_rdv_solidarites,
    )
