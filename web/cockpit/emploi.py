"""The référent's side of the employers' work (issue 24), a page linked from the parcours: the
offers proposed to the person (transmise, refusée, entretien, embauchée — « embauchée » declares
the hiring in the parcours, as the API does) and the person's fiche in the pool (consent,
projects, mobility, hours). Only the référent of the parcours (and the administration) sees it;
everyone else gets the answer about a parcours that does not exist."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from employeurs import propositions, vivier
from employeurs.depuis_le_parcours import disponibilite, prete, reperes, suggestions
from referentiels.rome import libelle_metier
from schemas.diagnostic import Disponibilite
from schemas.employeur import Creneau, FicheVivier, StatutProposition, SuiteProposition
from services.audit import journaliser
from services.parcours_client import CommandeImpossible
from services.utilisateur import Utilisateur
from store.employeurs import VivierRow
from store.parcours import ParcoursRow
from web.api import vivier as api
from web.cockpit import pages
from web.cockpit.saisie import erreurs_de
from web.deps import ParcoursDep, SessionDep, UtilisateurPage, adresse
from web.erreurs import Refus

router = APIRouter(include_in_schema=False)
CRENEAUX = {
    Creneau.MATIN: "Le matin",
    Creneau.APRES_MIDI: "L'après-midi",
    Creneau.SOIR: "Le soir",
    Creneau.NUIT: "La nuit",
    Creneau.WEEK_END: "Le week-end",
}
# What the référent may record, from where the proposition is; « à transmettre » is the
# chargé de relation entreprise's, never chosen here.
SUITES = {
    StatutProposition.PROPOSEE: "Transmise à la personne",
    StatutProposition.REFUSEE: "Refusée",
    StatutProposition.ENTRETIEN: "Entretien",
}


def fiche_saisie(valeurs: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as FicheVivier reads them (three project fields, boxes « oui »)."""
    fiche = {
        "pret": valeurs.get("pret") == "oui",
        "consentement": valeurs.get("consentement") == "oui",
        "projets": [p for p in valeurs.get("projets", []) if p],
        "permis_b": valeurs.get("permis_b") == "oui",
        "vehicule": valeurs.get("vehicule") == "oui",
        "creneaux": valeurs.get("creneaux", []),
    }
    if valeurs.get("distance_max_km"):  # left blank: the fiche's default distance
        fiche["distance_max_km"] = valeurs["distance_max_km"]
    return fiche


def valeurs_de(row: VivierRow | None) -> dict[str, Any]:
    if row is None:
        return {"distance_max_km": "20", "projets": [], "creneaux": []}
    return {
        "pret": "oui" if row.pret else "",
        "consentement": "oui" if row.consentement else "",
        "projets": list(row.projets),
        "permis_b": "oui" if row.permis_b else "",
        "vehicule": "oui" if row.vehicule else "",
        "distance_max_km": str(row.distance_max_km),
        "creneaux": list(row.creneaux),
    }


async def page(
    request: Request,
    u: Utilisateur,
    session: SessionDep,
    parcours: ParcoursRow,
    *,
    valeurs: dict[str, Any] | None = None,
    message: str | None = None,
    erreurs: list[dict[str, str]] | None = None,
    erreur_proposition: tuple[str, str] | None = None,
    status: int = 200,
) -> Response:
    inscrite = await session.get(VivierRow, parcours.id)
    recues = [
        await api.vue_proposition(session, p)
        for p in await propositions.du_parcours(session, parcours.id)
    ]
    await journaliser(
        session, u, "lecture", f"parcours:{parcours.id}", "propositions et vivier", adresse(request)
    )
    valeurs = valeurs or valeurs_de(inscrite)
    # what the parcours already says (an immersion's, an objective's métier, the diagnostic's
    # project) fills the empty project fields, a new fiche starts « prête » when the diagnostic
    # says the person can start now; the référent checks and saves
    suggerees = suggestions(parcours.etat, list(inscrite.projets) if inscrite else [])
    if not message:
        saisis = [c for c in valeurs.get("projets", []) if c]
        valeurs = valeurs | {"projets": (saisis + [s.code_rome for s in suggerees])[:3]}
        if inscrite is None and prete(parcours.etat):
            valeurs = valeurs | {"pret": "oui"}
    dite = disponibilite(parcours.etat)
    ctx = {
        "u": u,
        "titre": f"Vers l'emploi : {parcours.prenom} {parcours.nom}",
        "actif": "parcours",
        "p": parcours,
        "inscrite": inscrite,
        "propositions": recues,
        "suites": SUITES,
        "EMBAUCHEE": StatutProposition.EMBAUCHEE.value,
        "valeurs": valeurs,
        "projets": [(c, libelle_metier(c)) for c in valeurs.get("projets", [])],
        "creneaux": [(c.value, libelle) for c, libelle in CRENEAUX.items()],
        "message": message,
        "erreurs": erreurs or [],
        "erreur_proposition": erreur_proposition,
        "suggerees": suggerees,
        "reperes": reperes(parcours.etat),
        "pas_disponible": dite is not None and dite.disponibilite == Disponibilite.NON_DISPONIBLE,
    }
    return pages.rendre(request, "employeurs/parcours_emploi.html", ctx, status=status)


@router.get("/parcours/{parcours_id}/emploi")
async def vers_l_emploi(
    parcours_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    parcours = await api.parcours_du_referent(session, u, parcours_id)
    return await page(request, u, session, parcours)


@router.post("/parcours/{parcours_id}/vivier")
async def inscrire_au_vivier(
    parcours_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    """A refusal shows the form again as typed, with the field to fix, and records nothing."""
    parcours = await api.parcours_du_referent(session, u, parcours_id)
    form = await request.form()
    valeurs: dict[str, Any] = {k: str(v).strip() for k, v in form.items()}
    valeurs["projets"] = [str(p).strip().upper() for p in form.getlist("projets")]
    valeurs["creneaux"] = [str(c) for c in form.getlist("creneaux")]
    try:
        fiche = FicheVivier.model_validate(fiche_saisie(valeurs))
    except ValidationError as err:
        status, message, erreurs = erreurs_de(err)
        return await page(
            request,
            u,
            session,
            parcours,
            valeurs=valeurs,
            message=message,
            erreurs=erreurs,
            status=status,
        )
    await vivier.inscrire(session, parcours, fiche)
    detail = "vivier : " + ("consentement" if fiche.consentement else "sans consentement")
    await journaliser(session, u, "ecriture", f"parcours:{parcours.id}", detail, adresse(request))
    return RedirectResponse(f"/parcours/{parcours.id}/emploi#vivier", status_code=303)


@router.post("/propositions/{proposition_id}")
async def noter_la_suite(
    proposition_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
) -> Response:
    """« Embauchée » declares the hiring in the parcours (its suivi dans l'emploi starts); a
    refusal (a missing date) shows the page again with the field to fix."""
    row = await api.proposition_du_referent(session, u, proposition_id)
    form = await request.form()
    saisie = {k: str(form.get(k, "")).strip() or None for k in ("statut", "date_debut", "date_fin")}
    try:
        suite = SuiteProposition.model_validate(saisie)
        row = await api.noter_la_suite(session, parcours, u, row, suite)
    except (ValidationError, Refus, CommandeImpossible) as err:
        # refused by the offer's rules or by the parcours (a hiring date to come): shown in
        # the proposition's row, nothing changed; the engine unreachable is the app's 503
        if isinstance(err, Refus | CommandeImpossible) and err.status not in (409, 422):
            raise
        status, message, erreurs = (
            erreurs_de(err)
            if isinstance(err, ValidationError)
            else (err.status, err.message, err.erreurs)
        )
        detail = "; ".join(f"{e['champ']} : {e['message']}" for e in erreurs) or message
        suivi = await api.parcours_du_referent(session, u, row.parcours_id)
        return await page(
            request, u, session, suivi, erreur_proposition=(row.id, detail), status=status
        )
    detail = f"proposition {suite.statut.value}"
    await journaliser(
        session, u, "ecriture", f"parcours:{row.parcours_id}", detail, adresse(request)
    )
    return RedirectResponse(f"/parcours/{row.parcours_id}/emploi#propositions", status_code=303)
