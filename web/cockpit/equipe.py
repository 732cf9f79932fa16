"""The équipe de suivi and its notes in the cockpit: the team and the notes on the parcours
page (fragments « equipe » and « notes », for the référent and for each member), the note
form and the search within the notes, the référent's decisions on requests to join, and the
« Se rattacher » page. Everything goes through the services the JSON API uses
(web/equipe/), so both show and refuse exactly the same things."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from core.clock import local_day
from schemas.champ import champ_en_cause
from schemas.common import Acteur, Role
from schemas.equipe import RoleEquipe
from schemas.notes import NoteVue, NouvelleNote, Visibilite
from schemas.parcours import Categorie, EvenementTimeline, ParcoursState
from services.audit import journaliser
from services.utilisateur import Utilisateur, est_referent_du_parcours
from web.api.equipe import decider, demandes_vues, equipe_du_parcours
from web.cockpit import pages
from web.deps import ParcoursDep, SessionDep, UtilisateurPage, adresse
from web.equipe import notes, rattachements
from web.erreurs import Refus

router = APIRouter(include_in_schema=False)


async def contexte(
    session: Any, u: Utilisateur, s: ParcoursState, q: str | None = None
) -> dict[str, Any]:
    """What the team's and the notes' fragments show this person."""
    equipe = await equipe_du_parcours(session, s)
    destinataires = [
        (p.compte_id, p.nom)
        for p in ([equipe.referent] if equipe.referent else []) + equipe.membres
        if p.compte_id != u.id
    ]
    referent = est_referent_du_parcours(u, s)
    return {
        "equipe": equipe,
        "notes": await notes.lister(session, u, s, q),
        "q": q or "",
        "peut_noter": notes.peut_ecrire(u, s) and not s.clos,
        "destinataires": destinataires,
        "Visibilite": Visibilite,
        "demandes": await demandes_vues(session, s.parcours_id) if referent else [],
        "roles_equipe": {r.value: r.label for r in RoleEquipe},
    }


def dans_la_frise(liste: list[NoteVue]) -> list[EvenementTimeline]:
    """Notes as lines of the timeline (category « Note »), never as contacts."""
    return [
        EvenementTimeline(
            seq=0,
            enregistre_le=n.ecrite_le,
            le=local_day(n.ecrite_le),
            categorie=Categorie.NOTE,
            code="note",
            libelle=("Amendement : " if n.amende else "Note : ") + n.texte,
            auteur=Acteur(id=n.auteur_id, nom=n.auteur_nom, role=Role.REFERENT),
        )
        for n in liste
    ]


async def _fragment(
    request: Request,
    u: Utilisateur,
    session: Any,
    s: ParcoursState,
    section: str,
    *,
    q: str | None = None,
    erreur: str | None = None,
    status: int = 200,
    declencher: dict[str, Any] | None = None,
) -> Response:
    ctx = await contexte(session, u, s, q) | {"v": {"id": s.parcours_id}, "u": u, "erreur": erreur}
    return pages.rendre(
        request, f"parcours/_{section}.html", ctx, status=status, declencher=declencher
    )


@router.get("/parcours/{parcours_id}/notes")
async def chercher(
    parcours_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    try:
        s = await pages.etat(parcours, u, parcours_id)
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    await journaliser(session, u, "lecture", f"parcours:{parcours_id}", "notes", adresse(request))
    return await _fragment(request, u, session, s, "notes", q=q)


@router.post("/parcours/{parcours_id}/notes")
async def ecrire(
    parcours_id: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
    texte: Annotated[str, Form()] = "",
    visibilite: Annotated[str, Form()] = Visibilite.EQUIPE.value,
    destinataire_id: Annotated[str, Form()] = "",
) -> Response:
    try:
        s = await pages.etat(parcours, u, parcours_id)
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    try:
        saisie = NouvelleNote(
            texte=texte, visibilite=visibilite, destinataire_id=destinataire_id or None
        )
    except ValidationError:
        message = "Écrivez le texte de la note (4 000 caractères au plus)"
        return await _fragment(request, u, session, s, "notes", erreur=message, status=422)
    try:
        note = await notes.ecrire(session, u, s, saisie)
    except Refus as err:
        return await _fragment(
            request, u, session, s, "notes", erreur=err.message, status=err.status
        )
    quoi = f"note {note.id}"
    await journaliser(session, u, "ecriture", f"parcours:{parcours_id}", quoi, adresse(request))
    return await _fragment(request, u, session, s, "notes", declencher={pages.PARCOURS_MODIFIE: ""})


@router.post("/parcours/{parcours_id}/rattachements/{demande_id}/{decision}")
async def decision(
    parcours_id: str,
    demande_id: str,
    decision: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
) -> Response:
    if decision not in ("accepter", "refuser"):
        return pages.alerte(request, "Décision inconnue", status=404)
    try:
        await pages.etat(parcours, u, parcours_id)  # an unknown parcours: the same French refusal
        await decider(
            parcours_id, demande_id, decision == "accepter", u, session, parcours, request
        )
        s = await pages.etat(parcours, u, parcours_id)
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    return await _fragment(
        request, u, session, s, "equipe", declencher={pages.PARCOURS_MODIFIE: ""}
    )


def _page(request: Request, u: Utilisateur, status: int = 200, **ctx: Any) -> Response:
    base = {"u": u, "titre": "Se rattacher à un parcours", "actif": "rattachement"}
    base |= {"roles_equipe": RoleEquipe.choices(), "message": None, "erreurs": {}, "valeurs": {}}
    return pages.rendre(request, "equipe/rattachement.html", base | ctx, status=status)


@router.get("/rattachement")
async def formulaire(request: Request, u: UtilisateurPage) -> Response:
    return _page(request, u)


def _erreurs(err: ValidationError) -> dict[str, str]:
    """The message beside each field (a ChampInvalide names its own)."""
    erreurs: dict[str, str] = {}
    for e in err.errors():
        champ = champ_en_cause(e) or ".".join(str(x) for x in e["loc"])
        cause = e.get("ctx", {}).get("error")
        erreurs.setdefault(champ, str(cause) if cause is not None else e["msg"])
    return erreurs


@router.post("/rattachement")
async def demander(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    brut = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token" and v}
    donnees: dict[str, Any] = {k: v for k, v in brut.items() if not k.startswith("identifiants.")}
    donnees["identifiants"] = {
        k.removeprefix("identifiants."): v for k, v in brut.items() if k.startswith("identifiants.")
    }
    try:
        d = rattachements.DemandeRattachement.model_validate(donnees)
        await rattachements.demander(session, u, d, request)
    except ValidationError as err:
        return _page(request, u, 422, erreurs=_erreurs(err), valeurs=brut)
    except Refus as err:
        return _page(request, u, err.status, erreurs={"": err.message}, valeurs=brut)
    return _page(request, u, message=rattachements.REPONSE)
