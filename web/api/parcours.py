"""JSON API of the parcours: accueil, lists, one parcours, one POST per command."""

from __future__ import annotations

import inspect
import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Request, Response
from pydantic import BaseModel, Field, field_validator
from sqlmodel import col, select

from importation import nir
from referentiels.territoires.choix import BassinRefuse, choisir_bassin
from schemas.common import Acteur, LongText, Organisme, Role, Territoire
from schemas.erreurs import CodeErreur
from schemas.parcours import Accueil, ParcoursState, Phase, Statut
from schemas.usager import IdentifiantsPartenaires
from services import parcours as service
from services.audit import journaliser
from services.commandes import acteur_referent, modele_api
from services.parcours_client import ParcoursClient
from services.territoires import DESCRIPTION_MOTIF, verifier_territoire
from services.utilisateur import Utilisateur, est_referent_du_parcours
from store.audit import EntreeAudit
from store.evenements_partenaires import EvenementRecu
from web.api.doublons import (
    refuser_doublon,
    refuser_identifiant_porte,
    refuser_si_trop_de_signalements,
)
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, adresse, aujourd_hui
from web.documents.contrat_pdf import contrat_pdf
from web.equipe.notes import toutes as notes_du_parcours
from web.erreurs import Erreur, Refus
from web.requetes import Filtres, lister
from web.securite.requete_auditee import requete_auditee
from web.securite.sensible import proteger
from web.vues import PageParcours, ParcoursResume, ParcoursVue, vue
from workflows.transitions import PAR_LIEN, TRANSITIONS, Transition, prerequis

router = APIRouter(prefix="/api/v1/parcours", tags=["Parcours"])

ERREURS: dict[int | str, dict[str, Any]] = {
    401: {"model": Erreur, "description": "Authentification requise"},
    403: {"model": Erreur, "description": "Action réservée à d'autres rôles"},
    404: {"model": Erreur, "description": "Parcours inconnu ou hors de votre périmètre"},
    409: {
        "model": Erreur,
        "description": "Commande impossible dans l'état actuel du parcours (`commande_refusee`), "
        "ou parcours changé depuis la version envoyée dans `If-Match` (`conflit_de_version`), "
        "ou personne déjà suivie (`doublon`), ou identifiant partenaire porté par un autre "
        "parcours ouvert (`identifiant_attribue`)",
    },
    413: {"model": Erreur, "description": "Requête de plus de 1 Mo"},
    415: {"model": Erreur, "description": "Corps d'un autre type que JSON (`type_contenu`)"},
    422: {"model": Erreur, "description": "Données invalides (champs nommés)"},
    429: {"model": Erreur, "description": "Trop de doublons signalés en une heure (accueil)"},
    503: {"model": Erreur, "description": "Moteur de parcours injoignable"},
}
ERREURS_COMMANDE: dict[int | str, dict[str, Any]] = {
    400: {"model": Erreur, "description": "En-tête `If-Match` illisible (`if_match_invalide`)"},
    **ERREURS,
}


IF_MATCH = (
    'Facultatif : l\'`ETag` reçu en consultant le parcours (sa version, par exemple `"12"`). '
    "Si le parcours a changé depuis (une commande, un événement partenaire, un sous-processus), "
    "la commande est refusée sans rien appliquer : 409 `conflit_de_version`. `*` ou absent : "
    "pas de contrôle."
)
VERSIONNEMENT = """

**Versionnement optimiste.** Envoyez `If-Match` avec l'`ETag` de `GET /api/v1/parcours/{id}`
(ou de la réponse à la commande précédente) : si quelqu'un a changé le parcours entre-temps,
la réponse est 409 `conflit_de_version` (« Le parcours a changé entre-temps : rechargez-le
avant de recommencer ») et rien n'est appliqué. La version ne change qu'avec une commande, un
événement partenaire ou un sous-processus (contrat, PMSMP, emploi), jamais avec la vigie."""


def etag(state: ParcoursState) -> str:
    """The parcours' business version as an HTTP entity tag."""
    return f'"{state.version_metier}"'


def version_de_if_match(valeur: str | None) -> int | None:
    """``"12"`` → 12; absent or ``*`` → no check; anything else is refused (400)."""
    if valeur is None or valeur.strip() in ("", "*"):
        return None
    texte = valeur.strip()
    if texte.startswith('"') and texte.endswith('"') and len(texte) >= 2:
        texte = texte[1:-1]
    if not texte.isascii() or not texte.isdigit() or len(texte) > 12:
        raise Refus(
            400,
            "En-tête If-Match invalide : renvoyez l'ETag reçu en consultant le parcours "
            '(par exemple "12")',
            "if_match_invalide",
        )
    return int(texte)


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


@router.get(
    "", response_model=PageParcours, responses=ERREURS, summary="Lister les parcours visibles"
)
async def liste(
    u: UtilisateurApi,
    session: SessionDep,
    request: Request,
    territoire: Territoire | None = None,
    phase: Phase | None = None,
    statut: Statut | None = None,
    organisme: Organisme | None = None,
    referent: str | None = None,
    motif: Annotated[str | None, Query(description="Code d'une règle de la vigie")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Nom, prénom ou référence")] = None,
    anciennete: Annotated[
        int | None, Query(ge=0, le=3650, description="Alerte levée depuis au moins N jours")
    ] = None,
    inclure_clos: Annotated[bool, Query(description="Inclure les parcours clos (sortie)")] = True,
    tri: str = "echeance",
    descendant: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PageParcours:
    f = Filtres(
        territoire=territoire,
        phase=phase,
        statut=statut,
        organisme=organisme,
        referent=referent,
        motif=motif,
        q=q,
        anciennete=anciennete,
        inclure_clos=inclure_clos,
        tri=tri,
        descendant=descendant,
        limit=limit,
        offset=offset,
    )
    total, rows = await lister(session, u, f, aujourd_hui())
    await journaliser(session, u, "liste", "parcours", requete_auditee(request), adresse(request))
    return PageParcours(
        total=total, limit=limit, offset=offset, items=[ParcoursResume.depuis(r) for r in rows]
    )


@router.get(
    "/{parcours_id}",
    response_model=ParcoursVue,
    responses=ERREURS,
    summary="Consulter un parcours : état, fil, commandes possibles",
)
async def consulter(
    parcours_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
    response: Response,
) -> ParcoursVue:
    state = await service.lire(parcours, u, parcours_id)
    await journaliser(session, u, "lecture", f"parcours:{parcours_id}", "", adresse(request))
    response.headers["ETag"] = etag(state)
    return vue(state, u)


@router.get(
    "/{parcours_id}/contrat.pdf",
    response_class=Response,
    responses=ERREURS,
    summary="Télécharger le contrat d'engagement signé (PDF)",
)
async def contrat_signe(
    parcours_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
    numero: int | None = None,
) -> Response:
    state = proteger(await service.lire(parcours, u, parcours_id), u)  # health, justice
    contrats = [c for c in [*state.contrats_passes, state.contrat] if c is not None]
    contrat = next((c for c in reversed(contrats) if numero in (None, c.numero)), None)
    if contrat is None or not contrat.signe:
        raise Refus(
            409, "Aucun contrat d'engagement signé par les deux parties", "contrat_non_signe"
        )
    await journaliser(
        session,
        u,
        "export",
        f"parcours:{parcours_id}",
        f"contrat {contrat.numero} (PDF)",
        adresse(request),
    )
    return Response(
        contrat_pdf(state, contrat),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="contrat-{state.parcours_id[:8]}-{contrat.numero}.pdf"'
        },
    )


@router.get(
    "/{parcours_id}/export",
    responses=ERREURS,
    summary="Droit d'accès : tout ce que la plateforme détient sur la personne (JSON)",
)
async def export_droit_acces(
    parcours_id: str,
    u: UtilisateurApi,
    session: SessionDep,
    parcours: ParcoursDep,
    request: Request,
) -> Response:
    state = await service.lire(parcours, u, parcours_id)
    if not (est_referent_du_parcours(u, state) or u.est_admin):
        raise Refus(
            403,
            "L'export d'un dossier est réservé à son référent et à l'administration",
            "interdit",
        )
    evenements = (
        await session.exec(select(EvenementRecu).where(EvenementRecu.parcours_id == parcours_id))
    ).all()
    consultations = (
        await session.exec(
            select(EntreeAudit)
            .where(EntreeAudit.objet == f"parcours:{parcours_id}")
            .order_by(col(EntreeAudit.id))
        )
    ).all()
    notes_equipe = await notes_du_parcours(session, parcours_id)
    await journaliser(
        session, u, "export", f"parcours:{parcours_id}", "droit d'accès", adresse(request)
    )
    contenu = {
        "genere_le": datetime.now(UTC).isoformat(),
        # the person's consent governs this copy too: no health nor justice answer without it
        "parcours": proteger(state, u).model_dump(mode="json", exclude={"regles"}),
        "evenements_partenaires": [e.model_dump(mode="json") for e in evenements],
        # every note of the team, whatever its visibility: the person's right covers them all
        "notes": [n.model_dump(mode="json") for n in notes_equipe],
        "consultations": [
            {
                "le": a.le.isoformat(),
                "compte": a.compte_id,
                "role": a.role,
                "action": a.action,
                "detail": a.detail,
            }
            for a in consultations
        ],
    }
    return Response(
        json.dumps(contenu, ensure_ascii=False, indent=1),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="dossier-{parcours_id[:8]}.json"'},
    )


async def executer(
    nom: str,
    parcours_id: str,
    body: BaseModel,
    u: Utilisateur,
    session: Any,
    parcours: ParcoursClient,
    request: Request,
    *,
    version_attendue: int | None = None,
) -> ParcoursVue:
    """Every command route (API, cockpit, agenda, partner inbox): the service, given what
    only the request knows — the public address, the caller's, its signalements."""

    async def identifiants(state: ParcoursState, donnees: BaseModel) -> str:
        return await _verifier_identifiants(session, u, state, donnees, request)

    state = await service.executer(
        parcours,
        session,
        u,
        nom,
        parcours_id,
        body,
        adresse_publique=request.app.state.services.settings.effective_public_url,
        ip=adresse(request),
        version_attendue=version_attendue,
        controle=identifiants,
    )
    return vue(state, u)


async def _verifier_identifiants(
    session: Any,
    u: Utilisateur,
    state: ParcoursState,
    donnees: BaseModel,
    request: Request,
) -> str:
    """An identifier another open parcours carries is the coordination's decision; its note
    for the audit."""
    if not isinstance(donnees, IdentifiantsPartenaires):
        return ""
    nouvelles = sorted(set(donnees.pairs()) - set(state.identifiants.pairs()))
    if nouvelles:
        refuser_si_trop_de_signalements(u, request)
    pid = state.parcours_id
    return await refuser_identifiant_porte(session, u, request, nouvelles, parcours_id=pid)


def description_commande(t: Transition) -> str:
    """Derived from the transition table, which the workflow itself enforces."""
    phases = ", ".join(p.label for p in Phase if p in t.phases)  # in the parcours' order
    lignes = [
        f"Possible en phase : {phases}.",
        f"Réservé à : {', '.join(sorted(q.value for q in t.qui))}.",
    ]
    if condition := prerequis(t.condition):
        lignes.append(f"Il faut {condition}.")
    if not t.pendant_suspension:
        lignes.append("Impossible pendant une suspension du parcours.")
    return " ".join(lignes)


def _route(nom: str) -> Any:
    modele = modele_api(nom)

    async def endpoint(
        parcours_id: str,
        body: Any,
        u: UtilisateurApi,
        session: SessionDep,
        parcours: ParcoursDep,
        request: Request,
        response: Response,
        if_match: Annotated[str | None, Header(alias="If-Match", description=IF_MATCH)] = None,
    ) -> ParcoursVue:
        version = version_de_if_match(if_match)
        v = await executer(
            nom, parcours_id, body, u, session, parcours, request, version_attendue=version
        )
        response.headers["ETag"] = etag(v.etat)
        return v

    # FastAPI reads the body's model from the signature: give each command its own.
    params = list(inspect.signature(endpoint).parameters.values())
    params[1] = params[1].replace(annotation=Annotated[modele, Body()])
    endpoint.__signature__ = inspect.Signature(params, return_annotation=ParcoursVue)  # type: ignore[attr-defined]
    endpoint.__name__ = nom
    return endpoint


for _nom, _t in TRANSITIONS.items():
    if _t.qui <= PAR_LIEN:  # given from a link's page (the person's, a structure's), not the API
        continue
    router.add_api_route(
        f"/{{parcours_id}}/{_nom.replace('_', '-')}",
        _route(_nom),
        methods=["POST"],
        response_model=ParcoursVue,
        responses=ERREURS_COMMANDE,
        summary=_t.libelle,
        tags=[f"Commandes — {_t.groupe}"],
        description=description_commande(_t) + VERSIONNEMENT,
    )
