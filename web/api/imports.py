"""JSON API of the imports of lists of people (issue 16, item 2): send a file (base64 in
JSON), read the preview, change the column mapping, confirm, follow, download the report.
Coordinators import for their territory, the administration for every one."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from importation import service
from importation.service import ImportRefuse
from schemas.common import Territoire
from schemas.erreurs import CodeErreur
from schemas.imports import Correspondance, DemandeImport
from services.utilisateur import Utilisateur
from store.imports import ImportRow
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, aujourd_hui
from web.erreurs import Erreur, Refus

router = APIRouter(prefix="/api/v1/imports", tags=["Imports"])
ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Authentification requise"},
    403: {"model": Erreur, "description": "Réservé à la coordination et à l'administration"},
    404: {"model": Erreur, "description": "Import inconnu ou d'un autre territoire"},
    409: {"model": Erreur, "description": "Import déjà confirmé (`import_confirme`)"},
    413: {"model": Erreur, "description": "Requête de plus de 1 Mo"},
    422: {"model": Erreur, "description": "Fichier illisible ou correspondance incomplète"},
}


class LigneVue(BaseModel):
    numero: int
    nom: str
    prenom: str
    action: str
    action_libelle: str
    resultat: str | None
    parcours_id: str | None
    erreurs: list[dict[str, str]]
    remarques: list[str]


class ImportVue(BaseModel):
    id: str
    source: str
    nom_fichier: str
    statut: str
    entetes: list[str]
    correspondance: dict[str, str]
    actions: dict[str, int]
    resultats: dict[str, int]
    a_traiter: int
    faits: int
    pourcentage: int
    lignes: list[LigneVue] | None = None


def refus(err: ImportRefuse) -> Refus:
    return Refus(err.status, err.message, err.code, err.erreurs)


def autoriser(u: Utilisateur) -> Territoire | None:
    """The territory an import is limited to (None: the administration, every one)."""
    if u.est_admin:
        return None
    if u.est_coordinateur and u.territoire is not None:
        return u.territoire
    raise Refus(403, "L'import de listes est réservé à la coordination", "interdit")


async def import_visible(session: AsyncSession, u: Utilisateur, import_id: str) -> ImportRow:
    territoire = autoriser(u)
    try:
        imp = await service.charger(session, import_id)
    except ImportRefuse as err:
        raise refus(err) from None
    if territoire is not None and imp.territoire != territoire.value:
        raise Refus(404, "Import introuvable", "import_inconnu")
    return imp


async def vue_import(session: AsyncSession, imp: ImportRow, *, lignes: bool) -> ImportVue:
    b = await service.bilan(session, imp)
    vue = ImportVue(
        id=b.id,
        source=b.source,
        nom_fichier=b.nom_fichier,
        statut=b.statut,
        entetes=b.entetes,
        correspondance=b.correspondance,
        actions=b.actions,
        resultats=b.resultats,
        a_traiter=b.a_traiter,
        faits=b.faits,
        pourcentage=b.pourcentage,
    )
    if lignes:
        vue.lignes = [
            LigneVue(
                numero=ligne.numero,
                nom=str((ligne.accueil or {}).get("usager", {}).get("nom", "")),
                prenom=str((ligne.accueil or {}).get("usager", {}).get("prenom", "")),
                action=ligne.action,
                action_libelle=service.ACTIONS[ligne.action],
                resultat=ligne.resultat,
                parcours_id=ligne.parcours_id,
                erreurs=ligne.erreurs,
                remarques=ligne.remarques,
            )
            for ligne in await service.lignes_de(session, imp.id)
        ]
    return vue


def contenu_du_fichier(texte: str) -> bytes:
    try:
        return base64.b64decode(texte, validate=True)
    except (binascii.Error, ValueError):
        message = "Contenu illisible : encodez le fichier en base64"
        raise Refus(
            422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": "contenu", "message": message}]
        ) from None


@router.post(
    "",
    status_code=201,
    response_model=ImportVue,
    responses=ERREURS,
    summary="Envoyer une liste (aperçu, rien n'est ouvert)",
)
async def envoyer(demande: DemandeImport, u: UtilisateurApi, session: SessionDep) -> ImportVue:
    territoire = autoriser(u)
    try:
        imp = await service.preparer(
            session,
            demande,
            contenu_du_fichier(demande.contenu),
            auteur=u.acteur,
            territoire=territoire,
            jour=aujourd_hui(),
        )
    except ImportRefuse as err:
        raise refus(err) from None
    return await vue_import(session, imp, lignes=True)


@router.get(
    "/{import_id}",
    response_model=ImportVue,
    responses=ERREURS,
    summary="Aperçu et avancement d'un import",
)
async def consulter_import(
    import_id: str, u: UtilisateurApi, session: SessionDep, lignes: bool = True
) -> ImportVue:
    imp = await import_visible(session, u, import_id)
    return await vue_import(session, imp, lignes=lignes)


@router.put(
    "/{import_id}/correspondance",
    response_model=ImportVue,
    responses=ERREURS,
    summary="Changer la correspondance des colonnes",
)
async def corriger(
    import_id: str, corps: Correspondance, u: UtilisateurApi, session: SessionDep
) -> ImportVue:
    imp = await import_visible(session, u, import_id)
    try:
        imp = await service.changer_correspondance(
            session, imp, corps.correspondance, aujourd_hui()
        )
    except ImportRefuse as err:
        raise refus(err) from None
    return await vue_import(session, imp, lignes=True)


@router.post(
    "/{import_id}/confirmer",
    status_code=202,
    response_model=ImportVue,
    responses=ERREURS,
    summary="Confirmer : ouvrir et mettre à jour les parcours",
)
async def confirmer(
    import_id: str, u: UtilisateurApi, session: SessionDep, parcours: ParcoursDep
) -> ImportVue:
    imp = await import_visible(session, u, import_id)
    try:
        imp = await service.confirmer(session, parcours.client, imp, parcours.task_queue)
    except ImportRefuse as err:
        raise refus(err) from None
    return await vue_import(session, imp, lignes=False)


@router.get(
    "/{import_id}/rapport.csv",
    responses=ERREURS,
    summary="Rapport : chaque ligne et son résultat (CSV)",
)
async def rapport(import_id: str, u: UtilisateurApi, session: SessionDep) -> Response:
    imp = await import_visible(session, u, import_id)
    texte = await service.rapport_csv(session, imp)
    nom = f"import-{imp.id[:8]}.csv"
    return Response(
        ("\ufeff" + texte).encode("utf-8"),  # the BOM: Excel reads the accents right
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{nom}"'},
    )
