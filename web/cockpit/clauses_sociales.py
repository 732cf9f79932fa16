"""Social insertion clauses in the cockpit (issue 24, item 6): the contracts of the territory
with their report, a contract typed by a chargé de relation entreprise of the territory (a
refusal names the field under it), the contract's page with the people placed and their hours,
placing a person and entering the hours they did. Every step calls employeurs/clauses.py and the
API's own checks (web/api/clauses_sociales.py, relation_entreprise.py): the same rights, the
same audit, the same report."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from employeurs import annuaire, clauses, vivier
from employeurs.annuaire import EmployeurRefuse
from schemas.clause_sociale import ClauseSaisie, HeuresSaisies, PlacementSaisi
from schemas.common import Territoire
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.clauses import ClauseSocialeRow
from store.parcours import ParcoursRow
from web.api import clauses_sociales as api
from web.api.relation_entreprise import du_territoire, est_gestionnaire, gerer, gestionnaire, lire
from web.cockpit import pages, saisie
from web.cockpit.saisie import erreurs_de, saisies
from web.deps import SessionDep, UtilisateurPage, adresse
from web.erreurs import Refus

router = APIRouter(include_in_schema=False)
BASE = "/clauses-sociales"
CHAMPS = (
    "intitule",
    "acheteur",
    "siret",
    "code_postal",
    "commune",
    "heures_exigees",
    "debut",
    "fin",
)
CHAMPS_PLACEMENT = ("parcours_id", "debut")


def contexte(u: Utilisateur, titre: str, **extra: Any) -> dict[str, Any]:
    return {"u": u, "titre": titre, "actif": "clauses", **extra}


@router.get(BASE)
async def liste(
    request: Request, u: UtilisateurPage, session: SessionDep, bassin: str | None = None
) -> Response:
    """The contracts of the reader's territory at first (« Tous les bassins » then empty)."""
    lire(u)
    if bassin is None:
        bassin = u.territoire.value if u.territoire else ""
    territoire = Territoire(bassin) if bassin in Territoire._value2member_map_ else None
    vues = [await api.vue(session, r) for r in await clauses.lister(session, territoire)]
    ctx = contexte(
        u,
        "Clauses sociales",
        marches=vues,
        bassin=territoire.value if territoire else "",
        bassins=Territoire.choices(),
        peut_creer=est_gestionnaire(u),
    )
    return pages.rendre(request, "employeurs/clauses.html", ctx)


async def formulaire(
    request: Request,
    u: Utilisateur,
    session: SessionDep,
    valeurs: dict[str, str],
    status: int = 200,
    message: str | None = None,
    erreurs: list[dict[str, str]] | None = None,
    clause: ClauseSocialeRow | None = None,
) -> Response:
    """The form of a new contract, or of ``clause`` changed."""
    ctx = contexte(
        u,
        f"Modifier « {clause.intitule} »" if clause else "Nouveau marché à clause sociale",
        valeurs=valeurs,
        entreprises=await annuaire.lister(session),
        clause=clause,
    )
    return saisie.rendre(
        request,
        "employeurs/clause_nouvelle.html",
        ctx,
        status=status,
        message=message,
        erreurs=erreurs,
    )


@router.get(f"{BASE}/nouveau")
async def nouveau(
    request: Request, u: UtilisateurPage, session: SessionDep, siret: str = ""
) -> Response:
    gestionnaire(u)
    return await formulaire(request, u, session, {"siret": siret})


@router.post(BASE)
async def creer(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    """A refusal shows the form again as typed, the message under the field, nothing added."""
    gestionnaire(u)
    valeurs = await saisies(request, CHAMPS)
    try:
        saisie = ClauseSaisie.model_validate({k: v or None for k, v in valeurs.items()})
        gerer(u, clauses.bassin_saisi(saisie))
        row = await clauses.creer(session, saisie, u.id)
    except (ValidationError, EmployeurRefuse) as err:
        status, message, erreurs = erreurs_de(err)
        return await formulaire(request, u, session, valeurs, status, message, erreurs)
    await journaliser(session, u, "ecriture", f"clause:{row.id}", "création", adresse(request))
    return RedirectResponse(f"{BASE}/{row.id}", status_code=303)


@router.get(f"{BASE}/{{clause_id}}/modifier")
async def modification(
    clause_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    """The contract as it is, to change, by whoever may create one in its bassin."""
    gestionnaire(u)
    row = await api.charger(session, clause_id)
    gerer(u, row.bassin)
    valeurs = {k: str(v) for k, v in row.model_dump(include=set(CHAMPS)).items()}
    return await formulaire(request, u, session, valeurs, clause=row)


@router.post(f"{BASE}/{{clause_id}}/modifier")
async def modifier(
    clause_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    """As the API (the same checks, the same audit); a refusal shows the form again as typed,
    the message under the field, nothing changed."""
    gestionnaire(u)
    row = await api.charger(session, clause_id)
    gerer(u, row.bassin)
    valeurs = await saisies(request, CHAMPS)
    try:
        corps = ClauseSaisie.model_validate({k: v or None for k, v in valeurs.items()})
        await api.modification(session, u, row, corps, adresse(request))
    except (ValidationError, EmployeurRefuse) as err:
        status, message, erreurs = erreurs_de(err)
        return await formulaire(request, u, session, valeurs, status, message, erreurs, row)
    return RedirectResponse(f"{BASE}/{row.id}", status_code=303)


async def a_placer(
    request: Request, session: SessionDep, u: Utilisateur, row: ClauseSocialeRow, places: set[str]
) -> list[ParcoursRow]:
    """Whom the form offers to place, but those ``places`` (the API's checks decide on the
    placement itself): the territory's pool, people who consented, for its chargés (each an
    audited read); every person a référent accompanies, as the API accepts."""
    if du_territoire(u, row.bassin):
        consentants = await vivier.consentants(session, row.bassin)
        personnes = [p for p in consentants if p.id not in places]
        for p in personnes:
            detail = f"vivier clause:{row.id}"
            await journaliser(session, u, "lecture", f"parcours:{p.id}", detail, adresse(request))
        return personnes
    if u.est_referent:
        return [p for p in await clauses.accompagnes(session, u.id) if p.id not in places]
    return []


async def fiche(
    request: Request,
    u: Utilisateur,
    session: SessionDep,
    row: ClauseSocialeRow,
    *,
    status: int = 200,
    message: str | None = None,
    erreurs: list[dict[str, str]] | None = None,
    valeurs: dict[str, str] | None = None,
) -> Response:
    v = await api.vue(session, row)
    v.placements = await api.placements_visibles(session, u, row, adresse(request))
    places = {p.parcours_id for p in v.placements}
    personnes = await a_placer(request, session, u, row, places)
    await journaliser(session, u, "lecture", f"clause:{row.id}", "fiche", adresse(request))
    ctx = contexte(
        u,
        v.intitule,
        c=v,
        a_placer=personnes,
        # the hours of every placement shown are theirs to enter, and the placement theirs to
        # take away (API: placement_a_saisir)
        saisit_les_heures=du_territoire(u, row.bassin) or u.est_referent,
        modifie=du_territoire(u, row.bassin),
        valeurs=valeurs or {},
    )
    return saisie.rendre(
        request, "employeurs/clause.html", ctx, status=status, message=message, erreurs=erreurs
    )


@router.get(f"{BASE}/{{clause_id}}")
async def page_clause(
    clause_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    lire(u)
    return await fiche(request, u, session, await api.charger(session, clause_id))


@router.post(f"{BASE}/{{clause_id}}/placements")
async def placer(
    clause_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    """A refusal (a field, a person already placed, a closed parcours) is said on the
    contract's page, nothing added; someone else's person: the answer about a parcours that
    does not exist, as by the API."""
    lire(u)
    row = await api.charger(session, clause_id)
    valeurs = await saisies(request, CHAMPS_PLACEMENT)
    try:
        corps = PlacementSaisi.model_validate({k: v or None for k, v in valeurs.items()})
        parcours = await api.personne_a_placer(session, u, row, corps.parcours_id)
        await clauses.placer(session, row, parcours, corps.debut, u.id)
    except (ValidationError, EmployeurRefuse) as err:
        status, message, erreurs = erreurs_de(err)
        return await fiche(
            request, u, session, row, status=status, message=message, erreurs=erreurs,
            valeurs=valeurs,
        )  # fmt: skip
    except Refus as err:
        if err.status != 422:  # 403, 404: not theirs to place
            raise
        return await fiche(
            request, u, session, row, status=422, message=err.message, erreurs=err.erreurs,
            valeurs=valeurs,
        )  # fmt: skip
    detail = f"placement clause:{row.id}"
    await journaliser(session, u, "ecriture", f"parcours:{parcours.id}", detail, adresse(request))
    return RedirectResponse(f"{BASE}/{row.id}#placements", status_code=303)


@router.post(f"{BASE}/{{clause_id}}/placements/{{placement_id}}")
async def saisir_les_heures(
    clause_id: str, placement_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    """The total of hours to date; a refusal is said under the row's field, nothing changed."""
    lire(u)
    row = await api.charger(session, clause_id)
    placement, parcours = await api.placement_a_saisir(session, u, row, placement_id)
    saisi = (await saisies(request, ("heures_realisees",)))["heures_realisees"]
    try:
        nombre = re.sub(r"\s", "", saisi).replace(",", ".")  # as the page shows it: « 1 234,5 »
        corps = HeuresSaisies.model_validate({"heures_realisees": nombre or None})
    except ValidationError as err:
        status, message, erreurs = erreurs_de(err)
        champ = f"heures-{placement.id}"  # the field of this row
        return await fiche(
            request, u, session, row, status=status, message=message,
            erreurs=[e | {"champ": champ} for e in erreurs], valeurs={champ: saisi},
        )  # fmt: skip
    await clauses.saisir_heures(session, placement, corps.heures_realisees)
    detail = f"heures clause:{row.id}"
    await journaliser(session, u, "ecriture", f"parcours:{parcours.id}", detail, adresse(request))
    return RedirectResponse(f"{BASE}/{row.id}#placements", status_code=303)


@router.post(f"{BASE}/{{clause_id}}/placements/{{placement_id}}/retrait")
async def retirer(
    clause_id: str, placement_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    """As the API: by whoever may enter the placement's hours; one with hours declared is
    refused on the contract's page (409, what to do said), nothing taken away."""
    lire(u)
    row = await api.charger(session, clause_id)
    placement, parcours = await api.placement_a_saisir(session, u, row, placement_id)
    try:
        await api.retrait(session, u, row, placement, parcours, adresse(request))
    except EmployeurRefuse as err:
        status, message, _ = erreurs_de(err)
        return await fiche(request, u, session, row, status=status, message=message)
    return RedirectResponse(f"{BASE}/{row.id}#placements", status_code=303)
