"""POST /api/v1/parcours: the accueil opens the parcours (the cockpit's form calls it too)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import Field, field_validator

from importation import nir
from referentiels.territoires.choix import BassinRefuse, choisir_bassin
from schemas.common import Acteur, LongText, Role, Territoire
from schemas.erreurs import CodeErreur
from schemas.parcours import Accueil, ParcoursState
from services import parcours as service
from services.commandes import acteur_referent
from services.parcours_client import ParcoursClient
from services.territoires import DESCRIPTION_MOTIF, verifier_territoire
from services.utilisateur import Utilisateur
from web.api.doublons import (
    refuser_doublon,
    refuser_identifiant_porte,
    refuser_si_trop_de_signalements,
)
from web.api.parcours.chemin import PREFIXE
from web.api.parcours.reponses import ERREURS, etag
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, adresse, aujourd_hui
from web.erreurs import Refus
from web.vues import ParcoursVue, vue

router = APIRouter(prefix=PREFIXE)


class DemandeAccueil(Accueil):
    """The accueil, plus who will be the référent (by default: the référent who records it)."""

    referent_id: str | None = Field(
        default=None, max_length=80, description="Compte du référent désigné"
    )
    doublon_confirme: bool = Field(
        default=False,
        description="Ouvrir quand même si un parcours est ouvert pour la même personne",
    )
    motif_hors_territoire: LongText = Field(default="", description=DESCRIPTION_MOTIF)
    # Deduced from the commune (rules/bassins.yaml) when absent; a different bassin is the
    # coordination's decision, with its reason.
    territoire: Territoire | None = Field(  # type: ignore[assignment]
        default=None,
        description="Bassin ; par défaut celui de la commune. Un autre bassin : coordination "
        "ou administration, avec `motif_bassin`",
    )
    motif_bassin: LongText = Field(
        default="", description="Motif, quand le bassin choisi n'est pas celui de la commune"
    )
    nir: str | None = Field(
        default=None,
        max_length=40,
        description="NIR (facultatif), vérifié puis remplacé aussitôt par son HMAC : il "
        "retrouve la personne dans les listes importées et n'est jamais gardé en clair",
    )

    @field_validator("nir")
    @classmethod
    def _sceller_le_nir(cls, texte: str | None) -> str | None:
        """From here on, the request holds the NIR's HMAC, not the NIR."""
        if texte is None or not texte.strip():
            return None
        try:
            return nir.valider(texte)
        except ValueError as err:
            raise ValueError(f"NIR : {err}") from None


@router.post(
    "",
    status_code=201,
    response_model=ParcoursVue,
    responses=ERREURS,
    summary="Enregistrer un accueil (ouvre le parcours)",
)
async def ouvrir(
    demande: DemandeAccueil,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
    response: Response,
) -> ParcoursVue:
    state = await accueillir(demande, u, session, parcours, request)
    response.headers["Location"] = f"/api/v1/parcours/{state.parcours_id}"
    response.headers["ETag"] = etag(state)  # like every write: the version to send in If-Match
    return vue(state, u)


async def accueillir(
    demande: DemandeAccueil,
    u: Utilisateur,
    session: Any,
    parcours: ParcoursClient,
    request: Request,
) -> ParcoursState:
    """The checks of an accueil (API and cockpit form alike), then the service opens it."""
    if u.role == Role.CHARGE_ENTREPRISE:  # employer relations: companies, not accueils
        raise Refus(403, "Les chargés de relation entreprise n'ouvrent pas de parcours", "interdit")
    demande, territoire, note_bassin = _bassin_de_l_accueil(u, demande)
    # the NIR's HMAC only (never one the client would send): duplicates, lists find it
    demande = demande.model_copy(update={"nir_empreinte": demande.nir})
    if u.role == Role.COORDINATEUR and territoire != u.territoire:
        raise Refus(
            403,
            "Vous ne pouvez ouvrir de parcours que sur votre territoire",
            CodeErreur.HORS_TERRITOIRE,
        )
    referent = await acteur_referent(session, demande.referent_id) if demande.referent_id else None
    if referent is not None and u.role == Role.REFERENT and referent.id != u.id:
        raise Refus(
            403,
            "Un référent ouvre le parcours à son nom ; un coordinateur peut en désigner un autre",
            "interdit",
        )
    notes = [note_bassin, _territoire_de_l_accueil(u, demande, territoire, referent)]
    if not demande.doublon_confirme:
        await refuser_doublon(session, u, demande, request, aujourd_hui())
    else:
        refuser_si_trop_de_signalements(u, request)
    paires = demande.identifiants.pairs()
    notes.append(
        await refuser_identifiant_porte(session, u, request, paires, prefixe="identifiants.")
    )
    accueil = Accueil.model_validate(demande.model_dump(exclude=EXTRAS_DE_LA_DEMANDE))
    return await service.ouvrir(
        parcours, session, u, accueil, referent=referent, notes=notes, ip=adresse(request)
    )


EXTRAS_DE_LA_DEMANDE = {
    "referent_id",
    "doublon_confirme",
    "motif_hors_territoire",
    "motif_bassin",
    "nir",
}


def _bassin_de_l_accueil(
    u: Utilisateur, demande: DemandeAccueil
) -> tuple[DemandeAccueil, Territoire, str]:
    """The demande with its bassin set (the commune's, or the one the coordination chose with
    a reason) and the audit note of that choice; 422 naming the field otherwise."""
    usager = demande.usager
    try:
        bassin, note = choisir_bassin(
            usager.code_postal,
            usager.commune,
            demande.territoire,
            motif=demande.motif_bassin,
            peut_choisir=u.est_admin or u.est_coordinateur,
        )
    except BassinRefuse as err:
        erreurs = [{"champ": err.champ, "message": err.message}]
        raise Refus(422, err.message, "bassin", erreurs) from None
    return demande.model_copy(update={"territoire": bassin}), bassin, note


def _territoire_de_l_accueil(
    u: Utilisateur, demande: DemandeAccueil, territoire: Territoire, referent: Acteur | None
) -> str:
    """The référent who will follow the parcours (the one named, or whoever records a
    référent's accueil) works on its territory, unless the coordination decides."""
    suivi = referent or (u.acteur if u.est_referent else None)
    if suivi is None:
        return ""
    champ = "referent_id" if referent is not None else "territoire"
    return verifier_territoire(
        u, suivi, territoire, champ=champ, motif=demande.motif_hors_territoire
    )
