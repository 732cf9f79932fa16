"""The administration pages of the cockpit: structures, accounts, the queue of ProConnect
requests, and each account's page (its journal, its API tokens, the handover of its parcours
before a deactivation). Every operation is ``web.administration.service``'s."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from schemas.champ import champs
from schemas.common import Organisme, Role, Territoire
from services.utilisateur import Utilisateur
from web.administration import activation, service
from web.administration.schemas import CompteSaisie, Desactivation, StructureSaisie
from web.api.comptes import moteur
from web.deps import ServicesDep, SessionDep, UtilisateurPage, adresse, aujourd_hui
from web.erreurs import Refus
from web.templating import templates

router = APIRouter(include_in_schema=False)
CompteId = Annotated[str, Path(max_length=80)]
StructureId = Annotated[str, Path(max_length=80)]
ACTIONS = ("desactiver", "reactiver", "reinitialiser")


def _page(
    request: Request, u: Utilisateur, gabarit: str, titre: str, status: int = 200, **ctx: Any
) -> Response:
    contexte = {"u": u, "titre": titre, "actif": "administration", **ctx}
    return templates.TemplateResponse(
        request, f"administration/{gabarit}", contexte, status_code=status
    )


def _erreurs(err: ValidationError | Refus) -> tuple[int, str, list[dict[str, str]]]:
    if isinstance(err, Refus):
        return err.status, err.message, err.erreurs
    return 422, "Données invalides : corrigez les champs indiqués", champs(err.errors(), False)


@router.get("/administration", response_class=HTMLResponse)
async def accueil(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    comptes = await service.lister_comptes(session, u)
    return _page(
        request,
        u,
        "page.html",
        "Administration",
        comptes=[c for c in comptes if c.statut != "en_attente"],
        en_attente=[c for c in comptes if c.statut == "en_attente"],
        structures=await service.lister_structures(session, u),
    )


def _formulaire_structure(
    request: Request,
    u: Utilisateur,
    valeurs: dict[str, Any],
    status: int = 200,
    structure_id: str | None = None,
    **ctx: Any,
) -> Response:
    """The same form creates a structure or, with ``structure_id``, changes it."""
    return _page(
        request,
        u,
        "structure.html",
        "Modifier la structure" if structure_id else "Créer une structure",
        status,
        valeurs=valeurs,
        structure_id=structure_id,
        types=Organisme.choices(),
        territoires=Territoire.choices(),
        **ctx,
    )


async def _saisie_structure(request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what was typed, to show it again; what it means, for ``StructureSaisie``)."""
    form = await request.form()
    valeurs = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    territoires = [str(t) for t in form.getlist("territoires")]
    saisie = {
        **{k: v or None for k, v in valeurs.items() if k not in ("territoires", "domaines")},
        "territoires": territoires,
        "domaines": valeurs.get("domaines", "").replace(" ", ",").split(","),
    }
    return valeurs | {"territoires": territoires}, saisie


@router.get("/administration/structures/nouvelle", response_class=HTMLResponse)
async def nouvelle_structure(request: Request, u: UtilisateurPage) -> Response:
    if u.role != Role.ADMINISTRATEUR:
        raise Refus(403, "Seule l'administration du SPIE crée les structures", "interdit")
    return _formulaire_structure(request, u, {})


@router.post("/administration/structures", response_class=HTMLResponse)
async def creer_structure(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    saisies, saisie = await _saisie_structure(request)
    try:
        await service.creer_structure(
            session, u, StructureSaisie.model_validate(saisie), adresse(request)
        )
    except (ValidationError, Refus) as err:
        status, message, erreurs = _erreurs(err)
        if status == 403:
            raise
        return _formulaire_structure(request, u, saisies, status, message=message, erreurs=erreurs)
    return RedirectResponse("/administration", status_code=303)


def _exiger_administrateur(u: Utilisateur) -> None:
    if u.role != Role.ADMINISTRATEUR:
        raise Refus(403, "Seule l'administration du SPIE modifie les structures", "interdit")


@router.get("/administration/structures/{structure_id}/modifier", response_class=HTMLResponse)
async def formulaire_structure(
    request: Request, structure_id: StructureId, u: UtilisateurPage, session: SessionDep
) -> Response:
    _exiger_administrateur(u)
    vue = service.vue_structure(await service.structure(session, u, structure_id))
    valeurs = vue.model_dump(mode="json") | {"domaines": ", ".join(vue.domaines)}
    return _formulaire_structure(request, u, valeurs, structure_id=vue.id)


@router.post("/administration/structures/{structure_id}/modifier", response_class=HTMLResponse)
async def modifier_structure(
    request: Request, structure_id: StructureId, u: UtilisateurPage, session: SessionDep
) -> Response:
    """Audited by the service (before and after); a refusal shows the form again, as typed,
    with the field to fix, and changes nothing."""
    _exiger_administrateur(u)
    await service.structure(session, u, structure_id)  # 404 before reading the form
    saisies, saisie = await _saisie_structure(request)
    try:
        await service.modifier_structure(
            session, u, structure_id, StructureSaisie.model_validate(saisie), adresse(request)
        )
    except (ValidationError, Refus) as err:
        status, message, erreurs = _erreurs(err)
        return _formulaire_structure(
            request, u, saisies, status, structure_id, message=message, erreurs=erreurs
        )
    return RedirectResponse("/administration#structures", status_code=303)


def _formulaire_compte(
    request: Request,
    u: Utilisateur,
    structures: list[Any],
    valeurs: dict[str, Any],
    status: int = 200,
    **ctx: Any,
) -> Response:
    roles = [(r.value, r.label) for r in service.ROLES_ATTRIBUABLES.get(u.role, frozenset())]
    return _page(
        request,
        u,
        "compte_nouveau.html",
        "Créer un compte",
        status,
        valeurs=valeurs,
        roles=sorted(roles, key=lambda r: r[1]),
        structures=structures,
        territoires=Territoire.choices(),
        **ctx,
    )


@router.get("/administration/comptes/nouveau", response_class=HTMLResponse)
async def nouveau_compte(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    return _formulaire_compte(request, u, await service.lister_structures(session, u), {})


@router.post("/administration/comptes", response_class=HTMLResponse)
async def creer_compte(
    request: Request, u: UtilisateurPage, session: SessionDep, services: ServicesDep
) -> Response:
    form = await request.form()
    valeurs = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        vue, _ = await service.creer_compte(
            session,
            u,
            CompteSaisie.model_validate({k: v or None for k, v in valeurs.items()}),
            adresse_publique=services.settings.effective_public_url,
            envoyer=activation.envoi_par_courriel(services.settings),
            adresse=adresse(request),
        )
    except (ValidationError, Refus) as err:
        status, message, erreurs = _erreurs(err)
        structures = await service.lister_structures(session, u)
        return _formulaire_compte(
            request, u, structures, valeurs, status, message=message, erreurs=erreurs
        )
    return RedirectResponse(f"/administration/comptes/{vue.id}?cree=1", status_code=303)


async def _fiche(
    request: Request,
    u: Utilisateur,
    session: Any,
    compte_id: str,
    status: int = 200,
    **ctx: Any,
) -> Response:
    vue = await service.voir_compte(session, u, compte_id)
    return _page(
        request,
        u,
        "compte.html",
        vue.nom,
        status,
        c=vue,
        journal=await service.journal(session, u, compte_id),
        jetons=await service.jetons(session, u, compte_id),
        detenus=await service.parcours_detenus(session, compte_id),
        referents=await service.referents_possibles(session, u, compte_id),
        cree=request.query_params.get("cree") == "1",
        **ctx,
    )


@router.get("/administration/comptes/{compte_id}", response_class=HTMLResponse)
async def fiche(
    request: Request, compte_id: CompteId, u: UtilisateurPage, session: SessionDep
) -> Response:
    return await _fiche(request, u, session, compte_id)


@router.post("/administration/comptes/{compte_id}/{action}", response_class=HTMLResponse)
async def agir(
    request: Request,
    compte_id: CompteId,
    action: Annotated[str, Path(max_length=20)],
    u: UtilisateurPage,
    session: SessionDep,
    services: ServicesDep,
) -> Response:
    service.exiger_administration(u)
    if action not in ACTIONS:
        raise Refus(404, "Action inconnue", "action_inconnue")
    try:
        if action == "reactiver":
            await service.reactiver(session, u, compte_id, adresse(request))
        elif action == "reinitialiser":
            await service.reinitialiser(
                session,
                u,
                compte_id,
                adresse_publique=services.settings.effective_public_url,
                envoyer=activation.envoi_par_courriel(services.settings),
                adresse=adresse(request),
            )
        else:
            await _desactiver(request, u, session, services, compte_id)
    except (ValidationError, Refus) as err:
        status, message, _ = _erreurs(err)
        if status == 404:
            raise
        return await _fiche(request, u, session, compte_id, status, message=message)
    return RedirectResponse(f"/administration/comptes/{compte_id}", status_code=303)


async def _desactiver(
    request: Request, u: Utilisateur, session: Any, services: Any, compte_id: str
) -> None:
    form = await request.form()
    repartition = {
        k.removeprefix("vers-"): str(v) for k, v in form.items() if k.startswith("vers-") and str(v)
    }
    d = Desactivation(tous_vers=str(form.get("tous_vers", "")) or None, repartition=repartition)
    detenus = await service.parcours_detenus(session, compte_id)
    await service.desactiver(
        session,
        u,
        compte_id,
        d,
        parcours=await moteur(services) if detenus else None,
        today=aujourd_hui(),
        adresse=adresse(request),
    )


@router.post(
    "/administration/comptes/{compte_id}/jetons/{jeton_id}/revoquer",
    response_class=HTMLResponse,
)
async def revoquer_jeton(
    request: Request,
    compte_id: CompteId,
    jeton_id: Annotated[str, Path(max_length=16)],
    u: UtilisateurPage,
    session: SessionDep,
) -> Response:
    await service.revoquer_jeton(session, u, compte_id, jeton_id, adresse(request))
    return RedirectResponse(f"/administration/comptes/{compte_id}", status_code=303)
