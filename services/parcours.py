"""The parcours service under the routes: open one, read one, give it a command.

The API, the cockpit, the partner inbox and the agenda all go through here, so the access
rule (who may see a parcours) and the judgement of a command (who may give it, in which state)
are written once. A command is judged once on this side, against the state just read; the
workflow judges it again in its validator, under its lock, which is what decides a race.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import local_day
from schemas.common import CONFLIT_DE_VERSION, MESSAGE_CONFLIT, Acteur
from schemas.erreurs import CodeErreur
from schemas.parcours import Accueil, ParcoursState
from services.audit import journaliser
from services.commandes import resoudre
from services.erreurs import Refus
from services.parcours_client import ParcoursClient
from services.territoires import referent_designe, verifier_territoire
from services.utilisateur import Utilisateur, peut_lire
from workflows.transitions import TRANSITIONS, qualites, refus, reserve_a

# What the caller checks more, once the command is resolved (the web app: an identifier that
# another open parcours carries); returns a note for the audit log, "" for none.
Controle = Callable[[ParcoursState, BaseModel], Awaitable[str]]


def aujourd_hui() -> date:
    return local_day(datetime.now(UTC))


async def lire(parcours: ParcoursClient, u: Utilisateur, parcours_id: str) -> ParcoursState:
    """The state, if this person may see it — otherwise 404, as if it did not exist."""
    state = await parcours.etat(parcours_id)
    if not peut_lire(u, state, aujourd_hui()):
        raise Refus(404, "Parcours introuvable", CodeErreur.PARCOURS_INCONNU)
    return state


def juger(nom: str, state: ParcoursState, u: Utilisateur, version_attendue: int | None) -> None:
    """Who may give it (403), the version the person saw (409), the parcours' state (409)."""
    t = TRANSITIONS[nom]
    if not qualites(u.acteur, state) & t.qui:
        raise Refus(403, f"« {t.libelle} » est réservé {reserve_a(t.qui)}", "interdit")
    if version_attendue is not None and version_attendue != state.version_metier:
        raise Refus(409, MESSAGE_CONFLIT, CONFLIT_DE_VERSION)
    if (reason := refus(nom, state, u.acteur)) is not None:
        raise Refus(409, reason, CodeErreur.COMMANDE_REFUSEE)


async def ouvrir(
    parcours: ParcoursClient,
    session: AsyncSession,
    u: Utilisateur,
    accueil: Accueil,
    *,
    referent: Acteur | None,
    notes: list[str],
    ip: str | None,
) -> ParcoursState:
    """Start the parcours of an accueil already checked; the audit log keeps the notes of the
    decisions taken on the way (another bassin, a référent of another territory…)."""
    state = await parcours.ouvrir(accueil, u.acteur, referent=referent)
    detail = " ; ".join(["accueil", *filter(None, notes)])
    await journaliser(session, u, "ecriture", f"parcours:{state.parcours_id}", detail, ip)
    return state


async def executer(
    parcours: ParcoursClient,
    session: AsyncSession,
    u: Utilisateur,
    nom: str,
    parcours_id: str,
    body: BaseModel,
    *,
    adresse_publique: str,
    ip: str | None,
    version_attendue: int | None = None,
    controle: Controle | None = None,
) -> ParcoursState:
    """Read, judge, resolve (an account id becomes a person…), check the designations, then
    the workflow — which checks the version again, in its validator and under its lock."""
    state = await lire(parcours, u, parcours_id)
    juger(nom, state, u, version_attendue)
    donnees = await resoudre(session, nom, body, aujourd_hui(), adresse_publique)
    notes = [_designation(u, state, body, donnees)]
    if controle is not None:
        notes.append(await controle(state, donnees))
    state = await parcours.commander(
        parcours_id, nom, donnees, u.acteur, version_attendue=version_attendue, juge=state
    )
    detail = " ; ".join([nom, *filter(None, notes)])
    await journaliser(session, u, "ecriture", f"parcours:{parcours_id}", detail, ip)
    return state


def _designation(u: Utilisateur, state: ParcoursState, body: BaseModel, donnees: BaseModel) -> str:
    """A référent of another territory is the coordination's decision: its note for the audit."""
    if (designe := referent_designe(donnees)) is None:
        return ""
    referent, champ, champ_motif = designe
    motif = str(getattr(body, champ_motif, ""))
    return verifier_territoire(
        u, referent, state.territoire, champ=champ, motif=motif, champ_motif=champ_motif
    )
