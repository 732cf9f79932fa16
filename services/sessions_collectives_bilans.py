"""What the organiser of a collective session does for every registered person at once
(issue 18): the attendance typed for all, and the session's cancellation. Each is kept with the
session first, then given to each parcours by the organiser's own commands
(``noter_presence_session``, ``annuler_rdv_session``; who may, and how the organiser acts in a
parcours: services/sessions_collectives.py); one refusal does not stop the others and is
told in the answer."""

from __future__ import annotations

from collections.abc import Sequence

from agendas import sessions
from core.clock import local_day
from schemas.erreurs import CodeErreur
from schemas.parcours import ParcoursState
from schemas.rdv import StatutRdv
from schemas.session_collective import (
    AnnulationSession,
    AnnulationTransmise,
    BilanAnnulation,
    BilanPresences,
    DemandeAnnulation,
    PresenceSession,
    PresenceTransmise,
    SaisiePresences,
)
from services import parcours as dossiers
from services import sessions_collectives as base
from services.audit import journaliser
from services.erreurs import Refus
from store.sessions_collectives import InscriptionSessionRow, SessionCollectiveRow


async def _transmettre(
    a: base.Appel, row: SessionCollectiveRow, i: InscriptionSessionRow, statut: StatutRdv
) -> str | None:
    """Give the outcome to the parcours, whoever its référent is; why not, in French."""
    if i.rdv_id is None:
        return "Le rendez-vous n'avait pas été inscrit au parcours"
    presence = PresenceSession(inscription_id=i.id, statut=statut, session=row.titre)
    resultat = await base.commander(a, row, i, "noter_presence_session", presence)
    return resultat if isinstance(resultat, str) else None


async def presences(a: base.Appel, session_id: str, saisie: SaisiePresences) -> BilanPresences:
    """Every registered person's attendance at once: kept with the session first (nothing
    typed is lost), then given to each parcours; one refusal does not stop the others and is
    told in the answer."""
    row = await base.session_organisee(a.session, a.u, session_id)
    if row.annulee_le is not None:
        raise Refus(409, "La session est annulée", CodeErreur.COMMANDE_REFUSEE)
    if local_day(sessions.utc(row.debut)) > dossiers.aujourd_hui():
        raise Refus(409, "La session n'a pas encore eu lieu", CodeErreur.COMMANDE_REFUSEE)
    en_cours = {i.id: i for i in await sessions.inscriptions(a.session, row.id)}
    for n, p in enumerate(saisie.presences):
        if p.inscription_id not in en_cours:
            message = f"Inscription inconnue dans cette session : {p.inscription_id}"
            champ = f"presences.{n}.inscription_id"
            raise Refus(
                422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": champ, "message": message}]
            )
    noms = await base.noms_des(a.session, {i.parcours_id for i in en_cours.values()})
    lignes = []
    for p in saisie.presences:
        i = en_cours[p.inscription_id]
        await sessions.noter_presence(a.session, i.id, p.statut)
        erreur = await _transmettre(a, row, i, p.statut)
        personne = noms.get(i.parcours_id)
        lignes.append(
            PresenceTransmise(
                inscription_id=i.id,
                prenom=personne.prenom if personne else "",
                nom=personne.nom if personne else "",
                statut=p.statut,
                transmise=erreur is None,
                erreur=erreur,
            )
        )
    echecs = await _journaliser_bilan(a, row, "présence notée", lignes)
    return BilanPresences(transmises=len(lignes) - echecs, echecs=echecs, presences=lignes)


def _par_courrier(resultat: ParcoursState | str) -> tuple[bool, bool]:
    """(a letter was made for the person, nothing reaches them): the workflow makes a letter
    when they have neither phone nor e-mail, but an address. Said without the contacts
    themselves, which the organiser does not see."""
    if isinstance(resultat, str):
        return False, False
    u = resultat.usager
    sans_message = not (u.telephone or u.email)
    return sans_message and bool(u.adresse), sans_message and not u.adresse


async def annuler(a: base.Appel, session_id: str, demande: DemandeAnnulation) -> BilanAnnulation:
    """The organiser cancels a session to come: closed first (no more registrations, every
    seat freed), then each registered person's appointment cancelled in their parcours, the
    person told by their channels; one refusal does not stop the others and is told."""
    row = await base.session_organisee(a.session, a.u, session_id)
    if row.annulee_le is not None:
        raise Refus(409, "La session est déjà annulée", CodeErreur.COMMANDE_REFUSEE)
    if not sessions.ouverte(row, sessions.maintenant()):
        raise Refus(
            409,
            "La session a déjà commencé : elle ne peut plus être annulée",
            CodeErreur.COMMANDE_REFUSEE,
        )
    inscrites = await sessions.annuler(a.session, row.id)
    if inscrites is None:  # another click cancelled it meanwhile
        raise Refus(409, "La session est déjà annulée", CodeErreur.COMMANDE_REFUSEE)
    await journaliser(
        a.session,
        a.u,
        "ecriture",
        base.objet(row.id),
        f"session annulée : {demande.motif.strip()}",
        a.ip,
    )
    noms = await base.noms_des(a.session, {i.parcours_id for i in inscrites})
    lignes = []
    for i in inscrites:
        annulation = AnnulationSession(
            inscription_id=i.id, session=row.titre, motif=demande.motif.strip()
        )
        resultat = (
            "Le rendez-vous n'avait pas été inscrit au parcours"
            if i.rdv_id is None
            else await base.commander(a, row, i, "annuler_rdv_session", annulation)
        )
        personne = noms.get(i.parcours_id)
        courrier, injoignable = _par_courrier(resultat)
        lignes.append(
            AnnulationTransmise(
                inscription_id=i.id,
                prenom=personne.prenom if personne else "",
                nom=personne.nom if personne else "",
                transmise=not isinstance(resultat, str),
                erreur=resultat if isinstance(resultat, str) else None,
                courrier=courrier,
                injoignable=injoignable,
            )
        )
    echecs = await _journaliser_bilan(a, row, "annulation transmise", lignes)
    return BilanAnnulation(transmises=len(lignes) - echecs, echecs=echecs, annulations=lignes)


async def _journaliser_bilan(
    a: base.Appel,
    row: SessionCollectiveRow,
    quoi: str,
    lignes: Sequence[PresenceTransmise | AnnulationTransmise],
) -> int:
    """How many people's parcours did not get it, written in the audit log with the count."""
    echecs = sum(1 for ligne in lignes if not ligne.transmise)
    detail = f"{quoi} ({len(lignes)}, {echecs} non transmises)"
    await journaliser(a.session, a.u, "ecriture", base.objet(row.id), detail, a.ip)
    return echecs
