"""The documents drawn from a parcours: the signed contract (PDF) and the person's right of
access (everything the platform holds on them, JSON)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from sqlmodel import col, select

from services import parcours as service
from services.audit import journaliser
from services.utilisateur import est_referent_du_parcours
from store.audit import EntreeAudit
from store.evenements_partenaires import EvenementRecu
from web.api.parcours.chemin import PREFIXE
from web.api.parcours.reponses import ERREURS
from web.deps import ParcoursDep, SessionDep, UtilisateurApi, adresse
from web.documents.contrat_pdf import contrat_pdf
from web.equipe.notes import toutes as notes_du_parcours
from web.erreurs import Refus
from web.securite.sensible import proteger

router = APIRouter(prefix=PREFIXE)


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
