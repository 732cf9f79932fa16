"""JSON API of the employers' directory (issue 24): companies by SIRET, filled from the
national directory when configured, their contacts, the label « employeur inclusif », and the
companies already met in the parcours (PMSMP, hirings). For the chargés de relation
entreprise (the label: of their territory's companies) and the administration."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs import annuaire, import_entreprises
from employeurs.annuaire import EmployeurRefuse, Recherche
from employeurs.recherche_entreprises import Etablissement, chercher
from schemas.common import Role, Territoire
from schemas.employeur import ContactSaisi, EntrepriseSaisie, ImportEntreprises, LabelSaisi
from schemas.erreurs import CodeErreur
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.employeurs import ContactEntrepriseRow, EntrepriseRow
from web.api.imports import contenu_du_fichier
from web.deps import ServicesDep, SessionDep, UtilisateurApi, adresse, aujourd_hui
from web.erreurs import Erreur, Refus

router = APIRouter(prefix="/api/v1/entreprises", tags=["Employeurs"])
ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Authentification requise"},
    403: {"model": Erreur, "description": "Réservé aux chargés de relation entreprise"},
    404: {"model": Erreur, "description": "Entreprise inconnue"},
    409: {"model": Erreur, "description": "Entreprise déjà dans l'annuaire (`entreprise_connue`)"},
    422: {"model": Erreur, "description": "Saisie invalide (le champ est nommé)"},
}


class ContactVue(BaseModel):
    id: str
    nom: str
    fonction: str | None
    telephone: str | None
    email: str | None


class RencontreVue(BaseModel):
    origine: str
    origine_libelle: str
    le: date
    metier: str


class EntrepriseVue(BaseModel):
    siret: str
    nom: str
    naf: str | None
    adresse: str | None
    code_postal: str | None
    commune: str | None
    bassin: str | None
    bassin_libelle: str | None
    origine: str
    inclusif: bool
    label_inclusif_le: date | None
    label_inclusif_par: str | None
    contacts: list[ContactVue] | None = None
    historique: list[RencontreVue] | None = None
    remarques: list[str] = []


def refus(err: EmployeurRefuse) -> Refus:
    return Refus(err.status, err.message, err.code, err.erreurs)


def tient_l_annuaire(u: Utilisateur) -> bool:
    """Who keeps the directory of companies and the offers (the cockpit's menu shows them)."""
    return u.role in (Role.CHARGE_ENTREPRISE, Role.ADMINISTRATEUR)


def autoriser(u: Utilisateur) -> None:
    if not tient_l_annuaire(u):
        raise Refus(
            403,
            "L'annuaire des entreprises est réservé aux chargés de relation entreprise",
            "interdit",
        )


def territoire_de(u: Utilisateur) -> str | None:
    """The territory whose companies and offers this person answers for; None for the
    administration (every territory)."""
    if u.role == Role.ADMINISTRATEUR:
        return None
    return u.territoire.value if u.territoire else ""


def vue(row: EntrepriseRow) -> EntrepriseVue:
    par = row.label_inclusif_par or {}
    return EntrepriseVue(
        siret=row.siret,
        nom=row.nom,
        naf=row.naf,
        adresse=row.adresse,
        code_postal=row.code_postal,
        commune=row.commune,
        bassin=row.bassin,
        bassin_libelle=Territoire(row.bassin).label if row.bassin else None,
        origine=row.origine,
        inclusif=row.label_inclusif_le is not None,
        label_inclusif_le=row.label_inclusif_le,
        label_inclusif_par=par.get("nom"),
    )


def vue_contact(c: ContactEntrepriseRow) -> ContactVue:
    return ContactVue(id=c.id, nom=c.nom, fonction=c.fonction, telephone=c.telephone, email=c.email)


async def fiche(session: AsyncSession, row: EntrepriseRow) -> EntrepriseVue:
    v = vue(row)
    v.contacts = [vue_contact(c) for c in await annuaire.contacts_de(session, row.siret)]
    v.historique = [
        RencontreVue(
            origine=r.origine.value, origine_libelle=r.origine.label, le=r.le, metier=r.metier
        )
        for r in await annuaire.historique(session, row.siret)
    ]
    return v


def recherche_configuree(services: ServicesDep) -> Recherche | None:
    base = services.settings.recherche_entreprises_url
    if not base:
        return None

    async def rechercher(siret: str) -> Etablissement | None:
        async with httpx.AsyncClient() as http:
            return await chercher(http, base, siret)

    return rechercher


@router.get("", response_model=list[EntrepriseVue], responses=ERREURS, summary="Annuaire")
async def lister_entreprises(
    u: UtilisateurApi,
    session: SessionDep,
    bassin: Territoire | None = None,
    inclusifs: bool = False,
) -> list[EntrepriseVue]:
    autoriser(u)
    return [vue(r) for r in await annuaire.lister(session, bassin, inclusifs)]


@router.post(
    "",
    status_code=201,
    response_model=EntrepriseVue,
    responses=ERREURS,
    summary="Ajouter une entreprise (nom, NAF et adresse tirés du SIRET si l'annuaire national est configuré)",
)
async def ajouter_entreprise(
    saisie: EntrepriseSaisie,
    u: UtilisateurApi,
    session: SessionDep,
    services: ServicesDep,
    request: Request,
) -> EntrepriseVue:
    autoriser(u)
    try:
        row, remarques = await annuaire.enregistrer(session, saisie, recherche_configuree(services))
    except EmployeurRefuse as err:
        raise refus(err) from None
    await journaliser(
        session, u, "ecriture", f"entreprise:{row.siret}", "création", adresse(request)
    )
    return vue(row).model_copy(update={"remarques": remarques})


@router.post(
    "/depuis-les-parcours",
    response_model=list[EntrepriseVue],
    responses=ERREURS,
    summary="Ajouter les entreprises des PMSMP et embauches enregistrées (sans doublon)",
)
async def alimenter_annuaire(
    u: UtilisateurApi, session: SessionDep, request: Request
) -> list[EntrepriseVue]:
    autoriser(u)
    ajoutees = await annuaire.alimenter_depuis_les_parcours(session)
    detail = f"{len(ajoutees)} entreprises tirées des parcours"
    await journaliser(session, u, "ecriture", "entreprises", detail, adresse(request))
    return [vue(r) for r in ajoutees]


@router.get("/{siret}", response_model=EntrepriseVue, responses=ERREURS, summary="Fiche")
async def consulter_entreprise(
    siret: str, u: UtilisateurApi, session: SessionDep, request: Request
) -> EntrepriseVue:
    autoriser(u)
    try:
        row = await annuaire.charger(session, siret)
    except EmployeurRefuse as err:
        raise refus(err) from None
    v = await fiche(session, row)
    await journaliser(session, u, "lecture", f"entreprise:{row.siret}", "fiche", adresse(request))
    return v


@router.put(
    "/{siret}/label",
    response_model=EntrepriseVue,
    responses=ERREURS,
    summary="Accorder ou retirer le label « employeur inclusif »",
)
async def labelliser_entreprise(
    siret: str, corps: LabelSaisi, u: UtilisateurApi, session: SessionDep, request: Request
) -> EntrepriseVue:
    autoriser(u)
    try:
        row = await annuaire.labelliser_du_territoire(
            session, siret, corps.inclusif, u.acteur, aujourd_hui(), territoire_de(u)
        )
    except EmployeurRefuse as err:
        raise refus(err) from None
    detail = "label accordé" if corps.inclusif else "label retiré"
    await journaliser(session, u, "ecriture", f"entreprise:{row.siret}", detail, adresse(request))
    return vue(row)


@router.post(
    "/{siret}/contacts",
    status_code=201,
    response_model=ContactVue,
    responses=ERREURS,
    summary="Ajouter un contact",
)
async def ajouter_contact_entreprise(
    siret: str, corps: ContactSaisi, u: UtilisateurApi, session: SessionDep, request: Request
) -> ContactVue:
    autoriser(u)
    try:
        row = await annuaire.ajouter_contact(session, siret, corps)
    except EmployeurRefuse as err:
        raise refus(err) from None
    await journaliser(
        session, u, "ecriture", f"entreprise:{row.siret}", "contact", adresse(request)
    )
    return vue_contact(row)


# --- offres FT et import d'entreprises ---
class ErreurLigneVue(BaseModel):
    ligne: int
    colonne: str
    message: str


class ImportEntreprisesVue(BaseModel):
    entetes: list[str]
    correspondance: dict[str, str]
    lignes: int
    ajoutees: list[str]
    mises_a_jour: list[str]
    erreurs: list[ErreurLigneVue]
    enregistre: bool


@router.post(
    "/import",
    response_model=ImportEntreprisesVue,
    responses=ERREURS,
    summary="Importer des entreprises d'un fichier CSV ou XLSX (aperçu, puis confirmation)",
)
async def importer_entreprises(
    demande: ImportEntreprises, u: UtilisateurApi, session: SessionDep, request: Request
) -> ImportEntreprisesVue:
    autoriser(u)
    try:
        bilan = await import_entreprises.importer(
            session,
            demande.nom_fichier,
            contenu_du_fichier(demande.contenu),
            demande.correspondance,
            confirmer=demande.confirmer,
        )
    except EmployeurRefuse as err:
        raise refus(err) from None
    erreurs = [ErreurLigneVue(ligne=e.ligne, colonne=e.colonne, message=e.message)
               for e in bilan.erreurs]  # fmt: skip
    if demande.confirmer and erreurs:
        raise Refus(
            422,
            f"{len(erreurs)} erreur(s) dans le fichier : rien n'est enregistré",
            CodeErreur.DONNEES_INVALIDES,
            [e.en_dict() for e in bilan.erreurs],
        )
    for siret in bilan.ajoutees + bilan.mises_a_jour if bilan.enregistre else []:
        detail = f"import « {demande.nom_fichier} »"
        await journaliser(session, u, "ecriture", f"entreprise:{siret}", detail, adresse(request))
    return ImportEntreprisesVue(
        entetes=bilan.entetes,
        correspondance=bilan.correspondance,
        lignes=bilan.lignes,
        ajoutees=bilan.ajoutees,
        mises_a_jour=bilan.mises_a_jour,
        erreurs=erreurs,
        enregistre=bilan.enregistre,
    )
