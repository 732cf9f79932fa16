"""« Mon agenda »: a référent's appointments to come (booked by the people they invited,
convocations) and their opening slots (issue 18). Only a référent has an agenda, and sees only
their own; the name of a person is shown only while the référent follows their parcours."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import col, select

from agendas import reservations, service
from core.clock import local_day
from core.formats import heure
from core.formats import jour_semaine as jour_long_fr
from rules.rendez_vous import regles_rendez_vous
from schemas.incident import Partenaire
from schemas.rdv import Rdv, StatutRdv
from services.audit import journaliser
from store.parcours import ParcoursRow
from web.cockpit import pages
from web.cockpit.rendez_vous import ou
from web.deps import SessionDep, UtilisateurPage
from web.erreurs import Refus

router = APIRouter(include_in_schema=False)
SUR_JOURS = 28


@router.get("/agenda")
async def mon_agenda(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    if not u.est_referent:
        raise Refus(403, "L'agenda est celui d'un référent", "interdit")
    maintenant = datetime.now(UTC)
    prises = [
        r
        for r in await reservations.reservations(session, u.id, maintenant - timedelta(hours=1))
        if r.annulee_le is None
        and reservations.creneau(r).debut < maintenant + timedelta(days=SUR_JOURS)
    ]
    ids = {r.parcours_id for r in prises}
    suivis = {
        p.id: p
        for p in (
            await session.exec(
                select(ParcoursRow).where(
                    col(ParcoursRow.id).in_(ids), ParcoursRow.referent_id == u.id
                )
            )
        ).all()
    }
    creneaux = [reservations.creneau(r) for r in prises]
    lieux = {x.id: x for x in await service.lieux_par_id(session, creneaux)}
    regles = regles_rendez_vous()
    entrees: list[tuple[datetime, dict[str, str | None]]] = []
    for r, c in zip(prises, creneaux, strict=True):
        motif = regles.motif(r.motif)
        personne = suivis.get(r.parcours_id)
        entrees.append(
            (
                c.debut,
                {
                    "heure": heure(c.debut),
                    "fin": heure(c.fin),
                    "motif": motif.libelle if motif else r.motif,
                    "ou": ou(c, lieux),
                    "personne": f"{personne.prenom} {personne.nom}" if personne else None,
                    "lien": f"/parcours/{r.parcours_id}" if personne else None,
                },
            )
        )
    entrees += await rdvs_de_l_outil(session, u.id, maintenant)
    par_jour: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    for debut, entree in sorted(entrees, key=lambda x: x[0]):
        par_jour[jour_long_fr(local_day(debut))].append(entree)
    await journaliser(session, u, "lecture", f"agenda:{u.id}", "mon agenda (rendez-vous à venir)")
    return pages.rendre(
        request,
        "rdv/agenda.html",
        {
            "u": u,
            "titre": "Mon agenda",
            "actif": "agenda",
            "par_jour": dict(par_jour),
            "sur_jours": SUR_JOURS,
            "plages": await service.plages(session, [u.id]),
            "motifs": {m.code: m.libelle for m in regles.motifs},
        },
    )


# --- rdv dans l'outil externe ---
async def rdvs_de_l_outil(
    session: SessionDep, referent_id: str, maintenant: datetime
) -> list[tuple[datetime, dict[str, str | None]]]:
    """The appointments the people this référent follows took in the external tool
    (RDV_OUTIL_EXTERNE): they live in the parcours, not in the platform's bookings."""
    lignes = (
        await session.exec(
            select(ParcoursRow).where(
                ParcoursRow.referent_id == referent_id,
                col(ParcoursRow.prochain_rdv).is_not(None),
            )
        )
    ).all()
    entrees = []
    for p in lignes:
        for brut in p.etat.get("rdvs") or []:
            rdv = Rdv.model_validate(brut)
            if (
                rdv.source != Partenaire.RDV.value
                or rdv.statut != StatutRdv.PREVU
                or not maintenant - timedelta(hours=1)
                <= rdv.date_heure
                < maintenant + timedelta(days=SUR_JOURS)
            ):
                continue
            entree: dict[str, str | None] = {
                "heure": heure(rdv.date_heure),
                "fin": heure(rdv.fin) if rdv.fin else None,
                "motif": rdv.objet,
                "ou": f"{rdv.lieu or rdv.mode.label}, avec {rdv.professionnel} (RDV-Solidarités)",
                "personne": f"{p.prenom} {p.nom}",
                "lien": f"/parcours/{p.id}",
            }
            entrees.append((rdv.date_heure, entree))
    return entrees
