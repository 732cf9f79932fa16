"""Job datings and information sessions in the cockpit (issue 24, item 5): the list, the
creation by a chargé de relation entreprise of the territory (a refusal names the field under
it), the event's page with the people invited that the reader may see, and, for a référent,
« Inscrire » a person of the pool they accompany and, once the event has taken place, the
presence and outcome of each, from one form; then the event's report. Every step calls
employeurs/evenements.py and the API's own checks (web/api/evenements_employeurs.py,
relation_entreprise.py): the same rights, the same audit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from employeurs import annuaire, evenements, vivier
from employeurs.annuaire import EmployeurRefuse
from employeurs.lieux import refus_champs
from schemas.evenement_employeur import (
    EvenementSaisi,
    NatureEvenement,
    Presence,
    SuiteEvenement,
    SuiteInvitation,
)
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.evenements_employeurs import EvenementEmployeurRow, InvitationEvenementRow
from store.parcours import ParcoursRow
from web.api import evenements_employeurs as api
from web.api.employeurs import refus
from web.api.relation_entreprise import gerer, gestionnaire, lire
from web.api.vivier import accompagne, parcours_du_referent
from web.cockpit import pages, saisie
from web.cockpit.saisie import erreurs_de
from web.deps import SessionDep, UtilisateurPage, adresse, aujourd_hui

router = APIRouter(include_in_schema=False)
CHAMPS = ("nature", "titre", "le", "horaire", "adresse", "code_postal", "commune", "description")
BASE = "/evenements-employeurs"


def contexte(u: Utilisateur, titre: str, **extra: Any) -> dict[str, Any]:
    return {"u": u, "titre": titre, "actif": "evenements", **extra}


@router.get(BASE)
async def liste(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    lire(u)
    vues = [await api.vue(session, r) for r in await evenements.lister(session)]
    return pages.rendre(
        request,
        "employeurs/evenements.html",
        contexte(u, "Job datings et réunions", evenements=vues),
    )


async def formulaire(
    request: Request,
    u: Utilisateur,
    session: SessionDep,
    valeurs: dict[str, Any],
    status: int = 200,
    message: str | None = None,
    erreurs: list[dict[str, str]] | None = None,
) -> Response:
    ctx = contexte(
        u,
        "Nouvel événement",
        valeurs=valeurs,
        natures=NatureEvenement.choices(),
        entreprises=await annuaire.lister(session),
    )
    return saisie.rendre(
        request,
        "employeurs/evenement_nouveau.html",
        ctx,
        status=status,
        message=message,
        erreurs=erreurs,
    )


@router.get(f"{BASE}/nouveau")
async def nouveau(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    gestionnaire(u)
    return await formulaire(request, u, session, {"nature": "job_dating", "entreprises": []})


@router.post(BASE)
async def creer(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    """A refusal shows the form again as typed, the message under the field, nothing added."""
    gestionnaire(u)
    form = await request.form()
    valeurs: dict[str, Any] = {k: str(form.get(k, "")).strip() for k in CHAMPS}
    valeurs["entreprises"] = [str(s) for s in form.getlist("entreprises") if s]
    saisie = {k: v or None for k, v in valeurs.items() if k != "entreprises"}
    try:
        evenement = EvenementSaisi.model_validate(saisie | {"entreprises": valeurs["entreprises"]})
        gerer(u, evenements.bassin_saisi(evenement))
        row = await evenements.creer(session, evenement, u.id)
    except (ValidationError, EmployeurRefuse) as err:
        status, message, erreurs = erreurs_de(err)
        return await formulaire(request, u, session, valeurs, status, message, erreurs)
    objet = f"evenement_employeur:{row.id}"
    await journaliser(session, u, "ecriture", objet, "création", adresse(request))
    return RedirectResponse(f"{BASE}/{row.id}", status_code=303)


async def _charger(session: SessionDep, evenement_id: str) -> EvenementEmployeurRow:
    try:
        return await evenements.charger(session, evenement_id)
    except EmployeurRefuse as err:
        raise refus(err) from None


async def fiche(
    request: Request,
    u: Utilisateur,
    session: SessionDep,
    row: EvenementEmployeurRow,
    status: int = 200,
    message: str | None = None,
    *,
    presences: dict[str, str] | None = None,
    erreurs: list[dict[str, str]] | None = None,
) -> Response:
    v = await api.vue(session, row)
    lignes = await api.invites_et_parcours(session, u, row, adresse(request))
    v.invites = [i for i, _ in lignes]
    invites = {i.parcours_id for i in v.invites}
    a_inscrire = [
        p for p in await vivier.du_referent(session, u.id) if p.id not in invites
    ] if u.est_referent else []  # fmt: skip
    objet = f"evenement_employeur:{row.id}"
    await journaliser(session, u, "lecture", objet, "fiche", adresse(request))
    ctx = contexte(
        u,
        v.titre,
        e=v,
        a_inscrire=a_inscrire,
        passe=row.le <= aujourd_hui(),
        # whose presence this reader notes: the API's rule (invitation_du_referent)
        a_noter=[i for i, p in lignes if accompagne(u, p)],
        presences_choix=Presence.choices(),
        suites_choix=SuiteEvenement.choices(),
        presences=presences or {},
    )
    return saisie.rendre(
        request, "employeurs/evenement.html", ctx, status=status, message=message, erreurs=erreurs
    )


@router.get(f"{BASE}/{{evenement_id}}")
async def page_evenement(
    evenement_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    lire(u)
    return await fiche(request, u, session, await _charger(session, evenement_id))


@router.post(f"{BASE}/{{evenement_id}}/invitations")
async def inscrire(
    evenement_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    """A person the référent accompanies; a refusal (already invited, parcours closed) is
    said on the event's page, nothing added."""
    lire(u)
    row = await _charger(session, evenement_id)
    parcours_id = str((await request.form()).get("parcours_id", "")).strip()
    parcours = await parcours_du_referent(session, u, parcours_id)
    try:
        await evenements.inviter(session, row, parcours, u.id)
    except EmployeurRefuse as err:
        return await fiche(request, u, session, row, err.status, err.message)
    detail = f"invitation evenement_employeur:{row.id}"
    await journaliser(session, u, "ecriture", f"parcours:{parcours.id}", detail, adresse(request))
    return RedirectResponse(f"{BASE}/{row.id}#invites", status_code=303)


def note_de(saisies: dict[str, str], invitation_id: str) -> SuiteInvitation | None:
    """A row of the form (``presence-<id>``, ``suite-<id>``), as the API reads it; None when
    left blank (not noted yet)."""
    valeurs = {k: saisies.get(f"{k}-{invitation_id}") or None for k in ("presence", "suite")}
    if valeurs == {"presence": None, "suite": None}:
        return None
    return SuiteInvitation.model_validate(valeurs)


@router.post(f"{BASE}/{{evenement_id}}/presences")
async def noter_les_presences(
    evenement_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    """Presence and outcome of every person the référent invited, from one form, in one
    transaction: a refusal (a field, an event still to come) is said on the page and nothing
    is recorded. Someone else's invitation: the API's answer (404)."""
    lire(u)
    row = await _charger(session, evenement_id)
    saisies = {k: str(v).strip() for k, v in (await request.form()).items()}
    notes: list[tuple[InvitationEvenementRow, ParcoursRow, SuiteInvitation]] = []
    erreurs: list[dict[str, str]] = []
    for cle in [k for k in saisies if k.startswith("presence-")]:
        invitation_id = cle.removeprefix("presence-")
        invitation, parcours = await api.invitation_du_referent(session, u, row, invitation_id)
        try:
            if (note := note_de(saisies, invitation_id)) is not None:
                notes.append((invitation, parcours, note))
        except ValidationError as err:
            champs = erreurs_de(err)[2]
            erreurs += [e | {"champ": f"{e['champ']}-{invitation_id}"} for e in champs]
    try:
        if erreurs:
            raise refus_champs(erreurs)
        await evenements.noter_tous(session, row, [(i, n) for i, _, n in notes], aujourd_hui())
    except EmployeurRefuse as err:
        return await fiche(
            request, u, session, row, err.status, err.message, presences=saisies,
            erreurs=err.erreurs,
        )  # fmt: skip
    for _, parcours, _ in notes:
        detail = f"présence evenement_employeur:{row.id}"
        await journaliser(
            session, u, "ecriture", f"parcours:{parcours.id}", detail, adresse(request)
        )
    return RedirectResponse(f"{BASE}/{row.id}#presences", status_code=303)
