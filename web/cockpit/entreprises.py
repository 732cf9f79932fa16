"""The directory of companies in the cockpit (issue 24), for the chargés de relation entreprise
and the administration: the list (search, bassin, label), a company added from its SIRET
(filled from the national directory when configured), its fiche (contacts, history, label).
Every step calls employeurs.annuaire, as the API (web/api/employeurs.py) does."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from employeurs import annuaire
from employeurs.annuaire import EmployeurRefuse
from referentiels.territoires import simplifier
from schemas.common import Territoire
from schemas.employeur import ContactSaisi, EntrepriseSaisie, OrigineEntreprise
from services.audit import journaliser
from services.utilisateur import Utilisateur
from web.api import employeurs as api
from web.cockpit import pages, saisie
from web.cockpit.saisie import erreurs_de, saisies
from web.deps import ServicesDep, SessionDep, UtilisateurPage, adresse, aujourd_hui

router = APIRouter(include_in_schema=False)
CHAMPS_ENTREPRISE = ("siret", "nom", "naf", "adresse", "code_postal", "commune")
CHAMPS_CONTACT = ("nom", "fonction", "telephone", "email")


def contexte(u: Utilisateur, titre: str, **extra: Any) -> dict[str, Any]:
    return {"u": u, "titre": titre, "actif": "entreprises", **extra}


def trouvees(vues: list[api.EntrepriseVue], q: str) -> list[api.EntrepriseVue]:
    """The companies whose name, SIRET or commune holds every word typed (accents ignored)."""
    mots = [simplifier(m) for m in q.split()]
    return [
        v
        for v in vues
        if all(m in simplifier(f"{v.nom} {v.siret} {v.commune or ''}") for m in mots)
    ]


@router.get("/entreprises")
async def annuaire_des_entreprises(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    q: str = "",
    bassin: str = "",
    inclusifs: bool = False,
) -> Response:
    api.autoriser(u)
    territoire = Territoire(bassin) if bassin in Territoire._value2member_map_ else None
    vues = [api.vue(r) for r in await annuaire.lister(session, territoire, inclusifs)]
    ctx = contexte(
        u,
        "Annuaire des entreprises",
        entreprises=trouvees(vues, q) if q.strip() else vues,
        q=q,
        bassin=territoire.value if territoire else "",
        inclusifs=inclusifs,
        bassins=Territoire.choices(),
    )
    return pages.rendre(request, "employeurs/annuaire.html", ctx)


def formulaire(
    request: Request,
    u: Utilisateur,
    valeurs: dict[str, str],
    status: int = 200,
    message: str | None = None,
    erreurs: list[dict[str, str]] | None = None,
) -> Response:
    ctx = contexte(u, "Ajouter une entreprise", valeurs=valeurs)
    return saisie.rendre(
        request,
        "employeurs/entreprise_nouvelle.html",
        ctx,
        status=status,
        message=message,
        erreurs=erreurs,
    )


@router.get("/entreprises/nouvelle")
async def nouvelle_entreprise(request: Request, u: UtilisateurPage) -> Response:
    api.autoriser(u)
    return formulaire(request, u, {})


@router.post("/entreprises")
async def ajouter_entreprise(
    request: Request, u: UtilisateurPage, session: SessionDep, services: ServicesDep
) -> Response:
    """A refusal shows the form again as typed, with the field to fix, and adds nothing."""
    api.autoriser(u)
    valeurs = await saisies(request, CHAMPS_ENTREPRISE)
    try:
        saisie = EntrepriseSaisie.model_validate({k: v or None for k, v in valeurs.items()})
        row, remarques = await annuaire.enregistrer(
            session, saisie, api.recherche_configuree(services)
        )
    except (ValidationError, EmployeurRefuse) as err:
        status, message, erreurs = erreurs_de(err)
        return formulaire(request, u, valeurs, status, message, erreurs)
    await journaliser(
        session, u, "ecriture", f"entreprise:{row.siret}", "création", adresse(request)
    )
    suite = f"/entreprises/{row.siret}"
    if remarques:  # what the national directory said, shown once on the fiche
        return await fiche(request, u, session, row.siret, remarques=remarques, status=201)
    return RedirectResponse(suite, status_code=303)


async def fiche(
    request: Request,
    u: Utilisateur,
    session: SessionDep,
    siret: str,
    *,
    remarques: list[str] | None = None,
    status: int = 200,
    contact: dict[str, str] | None = None,
    message: str | None = None,
    erreurs: list[dict[str, str]] | None = None,
) -> Response:
    try:
        row = await annuaire.charger(session, siret)
    except EmployeurRefuse as err:
        raise api.refus(err) from None
    v = await api.fiche(session, row)
    await journaliser(session, u, "lecture", f"entreprise:{row.siret}", "fiche", adresse(request))
    territoire = api.territoire_de(u)
    ctx = contexte(
        u,
        v.nom,
        e=v,
        origine=OrigineEntreprise(v.origine).label,
        remarques=remarques or [],
        peut_labelliser=territoire is None or territoire == row.bassin,
        contact=contact or {},
    )
    return saisie.rendre(
        request, "employeurs/entreprise.html", ctx, status=status, message=message, erreurs=erreurs
    )


@router.get("/entreprises/{siret}")
async def fiche_entreprise(
    siret: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    api.autoriser(u)
    return await fiche(request, u, session, siret)


@router.post("/entreprises/{siret}/label")
async def labelliser(
    siret: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    api.autoriser(u)
    inclusif = (await saisies(request, ("inclusif",)))["inclusif"] == "oui"
    try:
        row = await annuaire.labelliser_du_territoire(
            session, siret, inclusif, u.acteur, aujourd_hui(), api.territoire_de(u)
        )
    except EmployeurRefuse as err:
        raise api.refus(err) from None
    detail = "label accordé" if inclusif else "label retiré"
    await journaliser(session, u, "ecriture", f"entreprise:{row.siret}", detail, adresse(request))
    return RedirectResponse(f"/entreprises/{row.siret}", status_code=303)


@router.post("/entreprises/{siret}/contacts")
async def ajouter_contact(
    siret: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    api.autoriser(u)
    valeurs = await saisies(request, CHAMPS_CONTACT)
    try:
        contact = ContactSaisi.model_validate({k: v or None for k, v in valeurs.items()})
        row = await annuaire.ajouter_contact(session, siret, contact)
    except (ValidationError, EmployeurRefuse) as err:
        status, message, erreurs = erreurs_de(err)
        if status == 404:
            raise api.refus(EmployeurRefuse(404, message, "entreprise_inconnue")) from None
        return await fiche(
            request,
            u,
            session,
            siret,
            status=status,
            contact=valeurs,
            message=message,
            erreurs=erreurs,
        )
    await journaliser(
        session, u, "ecriture", f"entreprise:{row.siret}", "contact", adresse(request)
    )
    return RedirectResponse(f"/entreprises/{row.siret}#contacts", status_code=303)
