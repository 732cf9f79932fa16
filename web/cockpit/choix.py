"""What each command's form offers and starts from: the lists to choose from (appointments,
actions, incidents, référents of an organisme…) and sensible initial values (today's date,
the rules' proposal, the contract's current objectives)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from referentiels.catalogue import rechercher
from referentiels.rome import METIERS
from schemas.common import Organisme, Role
from schemas.contrat import Signataire, TypeContrat, add_months
from schemas.diagnostic import Frein
from schemas.emploi import JALONS_SUIVI_JOURS
from schemas.parcours import ParcoursState
from schemas.pmsmp import SignatairePmsmp
from schemas.rdv import StatutRdv
from services.commandes import modele_api
from store import catalogue
from store.comptes import Compte
from web.cockpit.formulaires import Reglages, genre
from web.templating import date_fr, heure_fr

ORGANISMES_INVITES = [o.label for o in Organisme] + ["CAF", "MSA", "SPIP / PJJ", "Employeur"]
CONTRAT_PAR_ORGANISME = {
    Organisme.FRANCE_TRAVAIL: TypeContrat.PPAE,
    Organisme.CAP_EMPLOI: TypeContrat.PPAE,
    Organisme.MISSION_LOCALE: TypeContrat.CEJ,
}
METIERS_CHOIX = [(code, f"{libelle} ({code})") for code, libelle in sorted(METIERS.items())]
# The commands that write a contract's objectives.
AVEC_OBJECTIFS = ("rediger_contrat", "ajouter_avenant", "reviser_contrat", "renouveler_contrat")


def _metiers(_: ParcoursState) -> list[tuple[str, str]]:
    """Every métier of the ROME, as the diagnostic, the immersion and the contract choose it."""
    return METIERS_CHOIX


async def referents(
    session: AsyncSession, s: ParcoursState, organisme: str | None, sauf: str | None = None
) -> list[tuple[str, str]]:
    """The active référents of the parcours' territory (and of an organisme, if given)."""
    query = select(Compte).where(
        Compte.role == Role.REFERENT.value,
        col(Compte.actif).is_(True),
        Compte.territoire == s.territoire.value,
    )
    if organisme:
        query = query.where(Compte.organisme == organisme)
    comptes = (await session.exec(query.order_by(col(Compte.nom)))).all()
    return [
        (c.id, f"{c.nom} — {Organisme(c.organisme).label if c.organisme else ''}")
        for c in comptes
        if c.id != sauf
    ]


async def _services(session: AsyncSession, s: ParcoursState) -> list[tuple[str, str]]:
    """The territory's offer of services (data·inclusion catalogue), by thématique."""
    trouves = rechercher(territoire=s.territoire, parmi=await catalogue.offres(session))
    offres = sorted(trouves, key=lambda o: o.thematique_principale)
    return [
        (
            o.service.id,
            f"{o.thematique_principale.replace('-', ' ').capitalize()} — "
            f"{o.service.nom} ({o.structure.nom}, {o.service.commune or 'Haute-Savoie'})",
        )
        for o in offres
    ]


def _rdvs(s: ParcoursState) -> list[tuple[str, str]]:
    return [
        (r.id, f"{heure_fr(r.date_heure)} — {r.objet}")
        for r in s.rdvs
        if r.statut == StatutRdv.PREVU
    ]


def _actions(s: ParcoursState) -> list[tuple[str, str]]:
    return [(a.id, f"{a.prescription.libelle} ({a.statut.label})") for a in s.actions]


def _incidents(s: ParcoursState) -> list[tuple[str, str]]:
    return [(i.id, f"{i.partenaire.label} — {i.operation.label}") for i in s.incidents if i.actif]


def _signataires_contrat(s: ParcoursState) -> list[tuple[str, str]]:
    faits = set(s.contrat.signatures) if s.contrat else set()
    return [(x.value, x.label) for x in Signataire if x not in faits]


def _signataires_pmsmp(s: ParcoursState) -> list[tuple[str, str]]:
    p = s.pmsmp_en_cours
    faits = set(p.signatures) if p else set()
    return [(x.value, x.label) for x in SignatairePmsmp if x not in faits]


def _jalons(s: ParcoursState) -> list[tuple[str, str]]:
    faits = {p.jalon_jours for p in s.emploi.points} if s.emploi else set()
    return [(str(j), f"J+{j}") for j in JALONS_SUIVI_JOURS if j not in faits]


CHOIX_SIMPLES: dict[str, dict[str, Callable[[ParcoursState], list[tuple[str, str]]]]] = {
    "renseigner_rdv": {"rdv_id": _rdvs},
    "mettre_a_jour_action": {"action_id": _actions},
    "relancer_incident": {"incident_id": _incidents},
    "resoudre_incident": {"incident_id": _incidents},
    "signer_contrat": {"signataire": _signataires_contrat},
    "signer_pmsmp": {"signataire": _signataires_pmsmp},
    "enregistrer_point_suivi": {"jalon_jours": _jalons},
    "prescrire_pmsmp": {
        "renouvellement_de": lambda s: [(p.id, p.convention.metier) for p in s.pmsmp],
        "code_rome": _metiers,
    },
    "enregistrer_diagnostic": {"projet.code_rome": _metiers},
    # a contract's objective may name the métier it aims at (proposed to the pool's fiche)
    **{nom: {"objectifs.code_rome": _metiers} for nom in AVEC_OBJECTIFS},
    "planifier_reunion": {"organismes": lambda _: [(o, o) for o in ORGANISMES_INVITES]},
}


async def reglages(
    nom: str, s: ParcoursState, valeurs: Mapping[str, Any], session: AsyncSession, chemin: str
) -> Reglages:
    """``chemin``: the form's own URL, for fields that reload it (organisme → référents)."""
    r = Reglages()
    for champ, fn in CHOIX_SIMPLES.get(nom, {}).items():
        r.choix[champ] = fn(s)
    recharger = {
        "hx-post": chemin,
        "hx-trigger": "change",
        "hx-target": "closest form",
        "hx-swap": "outerHTML",
        "hx-vals": '{"_action": "recharger"}',
    }
    if nom == "prescrire_action":
        r.choix["service_id"] = await _services(session, s)
    if nom == "decider_orientation":
        organisme = valeurs.get("organisme") or None
        r.choix["referent_id"] = await referents(session, s, organisme)
        r.attrs["organisme"] = recharger
    if nom == "transferer_referent":
        actuel = s.referent.referent.id if s.referent else None
        organisme = s.organisme.value if s.organisme else None
        r.choix["nouveau_referent_id"] = await referents(session, s, organisme, sauf=actuel)
    if nom == "ajouter_membre":  # the territory's professionals not already in the team
        deja = {m.membre.id for m in s.equipe if m.present}
        actuel = s.referent.referent.id if s.referent else None
        tous = await referents(session, s, None, sauf=actuel)
        r.choix["compte_id"] = [(i, libelle) for i, libelle in tous if i not in deja]
    if nom == "retirer_membre":
        r.choix["compte_id"] = [(m.membre.id, m.membre.nom) for m in s.equipe if m.present]
    if nom in AVEC_OBJECTIFS:
        r.lignes["objectifs"] = 3
    if nom == "envoyer_message":  # a template fills the form; the text shows its preview
        r.attrs["modele"] = recharger
        apercu = {
            "hx-post": f"/parcours/{s.parcours_id}/message/apercu",
            "hx-target": "#apercu-message",
            "hx-swap": "innerHTML",
            "hx-include": "closest form",
        }
        r.attrs["texte"] = apercu | {"hx-trigger": "input changed delay:400ms"}
        r.attrs["canal"] = apercu | {"hx-trigger": "change"}
    if nom == "enregistrer_diagnostic":
        r.caches.add("freins.frein")
        if not s.consentement.themes_sensibles:
            r.exclus |= {"suivi_justice", "commentaire_justice"}
    return r


def _dates_du_jour(nom: str, today: date) -> dict[str, Any]:
    """Dates that record when something was done default to today."""
    modele = modele_api(nom)
    return {
        n: today
        for n, info in modele.model_fields.items()
        if genre(info.annotation, info) == "date" and (n == "le" or n.endswith("_le"))
    }


def initiales(nom: str, s: ParcoursState, today: date, params: Mapping[str, str]) -> dict[str, Any]:
    v: dict[str, Any] = _dates_du_jour(nom, today)
    v.update({k: params[k] for k in ("incident_id", "rdv_id", "action_id") if k in params})
    if (preremplir := VALEURS_INITIALES.get(nom)) is not None:
        v.update(preremplir(s, today, params))
    return v


Preremplissage = Callable[[ParcoursState, date, Mapping[str, str]], dict[str, Any]]


def _orientation(s: ParcoursState, today: date, params: Mapping[str, str]) -> dict[str, Any]:
    p = s.proposition_orientation  # the rules' proposal
    return {"type": p.type, "organisme": p.organisme} if p is not None else {}


def _diagnostic(s: ParcoursState, today: date, params: Mapping[str, str]) -> dict[str, Any]:
    dernier = s.diagnostic
    v = dernier.model_dump() if dernier else {"freins": [{"frein": f} for f in Frein]}
    return v | {"realise_le": today}


def _contrat(s: ParcoursState, today: date, params: Mapping[str, str]) -> dict[str, Any]:
    type_ = CONTRAT_PAR_ORGANISME.get(s.organisme, TypeContrat.CER) if s.organisme else None
    return {"type": type_, "date_debut": today, "date_fin": add_months(today, 6)}


def _objectifs(s: ParcoursState, today: date, params: Mapping[str, str]) -> dict[str, Any]:
    """The current contract's objectives, to amend, review or renew."""
    return {"objectifs": [o.model_dump() for o in s.contrat.objectifs]} if s.contrat else {}


def _action(s: ParcoursState, today: date, params: Mapping[str, str]) -> dict[str, Any]:
    v: dict[str, Any] = {"debut_prevu": today}
    if "service_id" in params:  # chosen in the data·inclusion search of the file
        v["service_id"] = params["service_id"]
    return v


def _point_suivi(s: ParcoursState, today: date, params: Mapping[str, str]) -> dict[str, Any]:
    jalons = _jalons(s)  # the first milestone not yet recorded
    return {"jalon_jours": jalons[0][0]} if jalons else {}


def _relance(s: ParcoursState, today: date, params: Mapping[str, str]) -> dict[str, Any]:
    motifs = "; ".join(a.libelle for a in s.alertes) or "pas de nouvelles récentes"
    return {
        "message": (
            f"Le parcours de {s.usager.prenom} {s.usager.nom.upper()} demande votre attention "
            f"({motifs}). Pouvez-vous faire le point avec la personne ?"
        )
    }


# What a command's form starts from, beyond today's dates and the item it was opened on.
VALEURS_INITIALES: dict[str, Preremplissage] = {
    "decider_orientation": _orientation,
    "enregistrer_diagnostic": _diagnostic,
    "rediger_contrat": _contrat,
    "ajouter_avenant": _objectifs,
    "reviser_contrat": _objectifs,
    "renouveler_contrat": _objectifs,
    "prescrire_action": _action,
    "enregistrer_point_suivi": _point_suivi,
    "regler_rappels": lambda s, today, params: {"active": s.rappels_en_pause is None},
    "modifier_consentement": lambda s, today, params: (
        s.consentement.model_dump() | {"recueilli_le": today}
    ),
    "modifier_identifiants": lambda s, today, params: s.identifiants.model_dump(),
    "relancer_referent": _relance,
}


def proposition_texte(s: ParcoursState) -> str | None:
    p = s.proposition_orientation
    if p is None:
        return None
    return (
        f"Orientation {p.type.label.lower()} vers {p.organisme.label}. "
        f"Pourquoi : « {p.regle_libelle} » (règles du {p.version_regles}, "
        f"calculée le {date_fr(p.calculee_le)})."
    )
