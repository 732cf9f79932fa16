"""Jinja2 templates of the cockpit, with the filters that speak French dates and statuses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi.templating import Jinja2Templates

from core.clock import PARIS
from core.formats import heure, jour, nombre, pluriel, premier_du_mois
from core.immersion_facilitee import lien_convention, reglages
from core.settings import Settings
from rules.orientation_structure import regles_orientation_structure
from schemas.common import enum_label
from schemas.parcours import Phase, Statut
from web.api.employeurs import tient_l_annuaire
from web.api.relation_entreprise import est_lecteur
from web.static_paths import TEMPLATES_DIR

# Status badges: a DSFR colour *and* an icon *and* the word, never colour alone (RGAA 3.1).
BADGES: dict[str, tuple[str, str]] = {
    Statut.EN_COURS.value: ("fr-badge--success", "fr-icon-check-line"),
    Statut.EN_ALERTE.value: ("fr-badge--warning", "fr-icon-warning-line"),
    Statut.EN_RUPTURE.value: ("fr-badge--error", "fr-icon-error-warning-line"),
    Statut.EN_INCIDENT.value: ("fr-badge--error", "fr-icon-flashlight-line"),
    Statut.SUSPENDU.value: ("fr-badge--new", "fr-icon-pause-circle-line"),
    Statut.CLOS.value: ("", "fr-icon-archive-line"),
}


def date_fr(value: date | datetime | None, court: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date() if value.tzinfo else value.date()
    return jour(value, annee=not (court and value.year == date.today().year))


def heure_fr(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(PARIS)
    return f"{date_fr(local.date())} à {heure(local)}"


def statut_label(value: str) -> str:
    return Statut(value).label


def phase_label(value: str) -> str:
    return Phase(value).label


def motif_refus(code: str) -> str:
    """A structure's reason for refusing an orientation, as DORA words it (ticket 20)."""
    return regles_orientation_structure().libelle(code) or code


def badge(value: str) -> dict[str, Any]:
    classe, icone = BADGES.get(value, ("", ""))
    return {"classe": classe, "icone": icone, "libelle": statut_label(value)}


templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters.update(
    date_fr=date_fr,
    heure_fr=heure_fr,
    heure=heure,
    statut_label=statut_label,
    phase_label=phase_label,
    label=enum_label,
    nombre=nombre,
    motif_refus=motif_refus,
    texte_fr=premier_du_mois,  # the workflows' own texts: « 1er » put in where shown
)
templates.env.globals.update(pluriel=pluriel, badge=badge, Phase=Phase, Statut=Statut)
# the menu's links to the employers' pages: for whoever the API lets read them
templates.env.globals["lit_la_relation_entreprise"] = est_lecteur  # job datings, clauses
templates.env.globals["tient_l_annuaire"] = tient_l_annuaire  # companies, offers
# create_app() sets the operator of its settings; this default serves templates rendered alone
templates.env.globals["operateur"] = {
    "nom": "Département de la Haute-Savoie",
    "etat": False,
    "territoire": "de la Haute-Savoie",
}


def operateur(settings: Settings) -> None:
    """The operator's identity for every page's header and footer (issue 22, item 13)."""
    templates.env.globals["operateur"] = {
        "nom": settings.operateur_nom,
        "etat": settings.operateur_etat,
        "logo": settings.operateur_logo,
        "territoire": settings.operateur_territoire,
    }


def version(numero: str) -> None:
    """The version of the running code, in the footer of the administration pages."""
    templates.env.globals["version_parcours"] = numero


# --- connecteur Immersion Facilitée --- : the prefilled convention form (ticket 20)
templates.env.globals["lien_immersion"] = lambda c: lien_convention(c, {})


def immersion_facilitee(settings: Settings) -> None:
    """The form's address and the agency's parameters, from partners.toml."""
    r = reglages(settings.partners_file)
    templates.env.globals["lien_immersion"] = lambda c: lien_convention(c, r)
