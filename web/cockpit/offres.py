"""Job offers in the cockpit (issue 24), for the chargés de relation entreprise and the
administration: the list (status, label, bassin), an offer typed for a company of the
directory with its ROME métier searched by words, its status, and its matching page — the
people of the territory's pool it fits, with the reasons in words, and « Proposer ». Every step
calls employeurs/ (offres, vivier, propositions), as the API (web/api/offres.py, vivier.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from employeurs import annuaire, noms_proches, offres, propositions, vivier
from employeurs.annuaire import EmployeurRefuse
from referentiels.rome import libelle_metier, rechercher
from schemas.common import Territoire
from schemas.emploi import TypeContratTravail
from schemas.employeur import OffreSaisie, StatutOffre, StatutProposition
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.employeurs import OffreRow
from web.api import employeurs as api
from web.api import offres as api_offres
from web.api.vivier import territoire_de_l_offre
from web.cockpit import pages, saisie
from web.cockpit.saisie import erreurs_de, saisies
from web.deps import SessionDep, UtilisateurPage, adresse

router = APIRouter(include_in_schema=False)
CHAMPS_OFFRE = (
    "siret",
    "intitule",
    "code_rome",
    "code_postal",
    "commune",
    "type_contrat",
    "heures_hebdomadaires",
    "horaires",
    "metier",
)
CASES_OFFRE = ("permis_requis", "horaires_decales", "inclusive")
METIERS_AU_PLUS = 8


def contexte(u: Utilisateur, titre: str, **extra: Any) -> dict[str, Any]:
    return {"u": u, "titre": titre, "actif": "offres", **extra}


@router.get("/offres")
async def liste_des_offres(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    statut: str = "",
    bassin: str = "",
    inclusives: bool = False,
) -> Response:
    api.autoriser(u)
    choisi = StatutOffre(statut) if statut in StatutOffre._value2member_map_ else None
    territoire = Territoire(bassin) if bassin in Territoire._value2member_map_ else None
    rows = await offres.lister(session, territoire, choisi, inclusives)
    ctx = contexte(
        u,
        "Offres d'emploi",
        offres=[api_offres.vue(r, await offres.entreprise_de(session, r)) for r in rows],
        statut=choisi.value if choisi else "",
        bassin=territoire.value if territoire else "",
        inclusives=inclusives,
        statuts=StatutOffre.choices(),
        bassins=Territoire.choices(),
    )
    return pages.rendre(request, "employeurs/offres.html", ctx)


async def formulaire(
    request: Request,
    u: Utilisateur,
    session: SessionDep,
    valeurs: dict[str, str],
    status: int = 200,
    message: str | None = None,
    erreurs: list[dict[str, str]] | None = None,
) -> Response:
    code = valeurs.get("code_rome", "")
    ctx = contexte(
        u,
        "Saisir une offre",
        valeurs=valeurs,
        entreprises=await annuaire.lister(session),
        contrats=TypeContratTravail.choices(),
        metiers=[(code, libelle_metier(code))] if code else [],
    )
    return saisie.rendre(
        request,
        "employeurs/offre_nouvelle.html",
        ctx,
        status=status,
        message=message,
        erreurs=erreurs,
    )


@router.get("/offres/nouvelle")
async def nouvelle_offre(
    request: Request, u: UtilisateurPage, session: SessionDep, siret: str = ""
) -> Response:
    api.autoriser(u)
    return await formulaire(request, u, session, {"siret": siret})


@router.get("/offres/metiers")
async def metiers(request: Request, u: UtilisateurPage, metier: str = "") -> Response:
    """The ROME métiers matching the words typed (accents and typos tolerated), as choices."""
    api.autoriser(u)
    trouves = rechercher(metier, METIERS_AU_PLUS) if metier.strip() else []
    ctx = {"metiers": [(m.code, m.libelle) for m in trouves], "valeurs": {}, "cherche": metier}
    return pages.rendre(request, "employeurs/_metiers.html", ctx)


@router.post("/offres")
async def saisir_offre(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    """A refusal shows the form again as typed, with the field to fix, and saves nothing."""
    api.autoriser(u)
    valeurs = await saisies(request, CHAMPS_OFFRE + CASES_OFFRE)
    saisie: dict[str, Any] = {k: valeurs[k] or None for k in CHAMPS_OFFRE if k != "metier"}
    saisie |= {k: valeurs[k] == "oui" for k in CASES_OFFRE}
    try:
        row = await offres.publier(session, OffreSaisie.model_validate(saisie), u.acteur)
    except (ValidationError, EmployeurRefuse) as err:
        status, message, erreurs = erreurs_de(err)
        return await formulaire(request, u, session, valeurs, status, message, erreurs)
    await journaliser(session, u, "ecriture", f"offre:{row.id}", "saisie", adresse(request))
    return RedirectResponse(f"/offres/{row.id}", status_code=303)


async def offre_ou_refus(session: SessionDep, offre_id: str) -> OffreRow:
    try:
        return await offres.charger(session, offre_id)
    except EmployeurRefuse as err:
        raise api.refus(err) from None


@router.get("/offres/{offre_id}")
async def fiche_offre(
    offre_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    api.autoriser(u)
    return await fiche(request, u, session, await offre_ou_refus(session, offre_id))


async def fiche(
    request: Request,
    u: Utilisateur,
    session: SessionDep,
    row: OffreRow,
    status: int = 200,
    valeurs: dict[str, str] | None = None,
    message: str | None = None,
    erreurs: list[dict[str, str]] | None = None,
) -> Response:
    """The offer; for one whose company is not identified, the companies whose name looks
    like the one France Travail gave, each attached by a click, and the form that attaches
    it to any company of the directory."""
    entreprise = await offres.entreprise_de(session, row)
    territoire = api.territoire_de(u)
    annuaire_entier = await annuaire.lister(session) if entreprise is None else []
    ctx = contexte(
        u,
        row.intitule,
        o=api_offres.vue(row, entreprise),
        statuts=StatutOffre.choices(),
        du_territoire=territoire is None or territoire == row.bassin,
        entreprises=annuaire_entier,
        # proposed only: the chargé confirms each attachment (employeurs/noms_proches.py)
        proches=noms_proches.proches(row.entreprise_nom or "", annuaire_entier),
        valeurs=valeurs or {},
    )
    return saisie.rendre(
        request, "employeurs/offre.html", ctx, status=status, message=message, erreurs=erreurs
    )


@router.post("/offres/{offre_id}/entreprise")
async def rattacher(
    offre_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    """An offer of France Travail without SIRET attached to a company of the directory; a
    refusal shows the offer again, the message under the field, nothing changed."""
    api.autoriser(u)
    row = await offre_ou_refus(session, offre_id)
    valeurs = await saisies(request, ("siret",))
    try:
        saisie = api_offres.RattachementSaisi.model_validate(valeurs)
        row = await offres.rattacher(session, offre_id, saisie.siret)
    except (ValidationError, EmployeurRefuse) as err:
        status, message, erreurs = erreurs_de(err)
        return await fiche(request, u, session, row, status, valeurs, message, erreurs)
    detail = f"rattachée à entreprise:{saisie.siret}"
    await journaliser(session, u, "ecriture", f"offre:{row.id}", detail, adresse(request))
    return RedirectResponse(f"/offres/{row.id}", status_code=303)


@router.post("/offres/{offre_id}/statut")
async def changer_statut(
    offre_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    api.autoriser(u)
    await offre_ou_refus(session, offre_id)
    statut = (await saisies(request, ("statut",)))["statut"]
    if statut not in StatutOffre._value2member_map_:
        return pages.page_erreur(request, u, 422, "statut : choisissez un statut de la liste")
    row = await offres.changer_statut(session, offre_id, StatutOffre(statut))
    await journaliser(session, u, "ecriture", f"offre:{row.id}", statut, adresse(request))
    return RedirectResponse(f"/offres/{row.id}", status_code=303)


@router.get("/offres/{offre_id}/rapprochement")
async def page_rapprochement(
    offre_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    api.autoriser(u)
    offre = await offre_ou_refus(session, offre_id)
    return await rapprochement(request, u, session, offre)


async def rapprochement(
    request: Request,
    u: Utilisateur,
    session: SessionDep,
    offre: OffreRow,
    message: str | None = None,
    status: int = 200,
) -> Response:
    """Only for the chargés de relation entreprise of the offer's territory: each person shown
    is an audited read of their parcours, as through the API."""
    territoire = territoire_de_l_offre(u, offre)
    trouves = await vivier.pour_une_offre(session, offre, territoire)
    for _, p in trouves:
        detail = f"rapprochement offre:{offre.id}"
        await journaliser(session, u, "lecture", f"parcours:{p.id}", detail, adresse(request))
    deja = {
        p.parcours_id: StatutProposition(p.statut).label
        for p in await propositions.de_l_offre(session, offre.id)
    }
    ctx = contexte(
        u,
        f"Rapprochement : {offre.intitule}",
        o=api_offres.vue(offre, await offres.entreprise_de(session, offre)),
        personnes=trouves,
        deja=deja,
        message=message,
    )
    return pages.rendre(request, "employeurs/rapprochement.html", ctx, status=status)


@router.post("/offres/{offre_id}/propositions")
async def proposer(
    offre_id: str, request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    api.autoriser(u)
    offre = await offre_ou_refus(session, offre_id)
    territoire = territoire_de_l_offre(u, offre)
    parcours_id = (await saisies(request, ("parcours_id",)))["parcours_id"]
    try:
        row = await propositions.proposer(session, offre, parcours_id, territoire, u.id)
    except EmployeurRefuse as err:
        return await rapprochement(request, u, session, offre, err.message, err.status)
    detail = f"proposition offre:{offre.id}"
    await journaliser(
        session, u, "ecriture", f"parcours:{row.parcours_id}", detail, adresse(request)
    )
    return RedirectResponse(
        f"/offres/{offre.id}/rapprochement#personne-{row.parcours_id}", status_code=303
    )
