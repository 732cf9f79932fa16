"""Deactivating, reactivating (or approving) an account and resetting its access. A
référent who still holds parcours hands each over first, through the handover command, so
that no parcours is left without a référent by a deactivation."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.common import Acteur, Role
from schemas.erreurs import CodeErreur
from schemas.referent import DemandeTransfert, TransfertResolu
from services.commandes import acteur_referent
from services.parcours_client import CommandeImpossible, ParcoursClient
from services.utilisateur import Utilisateur
from store.audit import ActionAudit
from store.comptes import Compte, SessionRow
from store.db import ecriture
from web.administration import activation
from web.administration.comptes import parcours_detenus, vue_compte
from web.administration.perimetre import (
    compte,
    dans_le_perimetre,
    journaliser_changement,
    refus_champ,
    valeurs_compte,
)
from web.administration.schemas import CompteVue, Desactivation, ParcoursDetenu
from web.erreurs import Refus


async def _fermer_acces(session: AsyncSession, compte_id: str) -> None:
    """Ends the account's sessions (its API tokens stop working with ``actif``)."""
    for row in (
        await session.exec(select(SessionRow).where(SessionRow.compte_id == compte_id))
    ).all():
        await session.delete(row)


def _acteur_administration(u: Utilisateur) -> Acteur:
    """Who hands the parcours over: the administrator by name, in the administration's
    capacity (the workflow knows référents, coordinators and the administration; this
    service has already checked that the account and the new référents are within reach)."""
    return Acteur(
        id=u.id, nom=u.nom, role=Role.ADMINISTRATEUR, organisme=u.organisme, territoire=u.territoire
    )


async def _remettre(
    session: AsyncSession,
    u: Utilisateur,
    c: Compte,
    detenus: list[ParcoursDetenu],
    d: Desactivation,
    parcours: ParcoursClient,
    today: date,
) -> dict[str, str]:
    """Hands every parcours held by ``c`` over through the handover command."""
    choix = {p.id: d.repartition.get(p.id) or d.tous_vers for p in detenus}
    sans = [p for p in detenus if not choix[p.id]]
    if sans:
        noms = ", ".join(p.nom for p in sans[:5])
        raise Refus(
            409,
            f"{c.nom} est référent de {len(detenus)} parcours : choisissez à qui remettre "
            f"chacun avant la désactivation ({len(sans)} sans décision : {noms})",
            "parcours_a_remettre",
            [{"champ": "tous_vers", "message": "Nouveau référent à choisir"}],
        )
    vers_qui = {v for v in choix.values() if v}
    cibles = {vers: await _referent_de_remise(session, u, c, vers) for vers in vers_qui}
    auteur = _acteur_administration(u)
    fait: dict[str, str] = {}
    for pid, vers in choix.items():
        assert vers is not None
        state = await parcours.etat(pid)
        if state.referent is None or state.referent.referent.id != c.id:
            continue  # already handed over (the read model lags behind the workflow)
        demande = DemandeTransfert(nouveau_referent_id=vers, motif=d.motif)
        ordre = TransfertResolu(
            **demande.model_dump(), nouveau_referent=cibles[vers], demande_le=today
        )
        try:
            await parcours.commander(pid, "transferer_referent", ordre, auteur)
        except CommandeImpossible as err:
            personne = next(p.nom for p in detenus if p.id == pid)
            raise Refus(
                err.status,
                f"{len(fait)} parcours remis ; « {personne} » ne peut pas aller à "
                f"{cibles[vers].nom} : {err.message}. Le compte reste actif.",
                err.code,
                [{"champ": f"repartition.{pid}", "message": err.message}],
            ) from None
        fait[pid] = vers
    return fait


async def _referent_de_remise(
    session: AsyncSession, u: Utilisateur, c: Compte, vers: str
) -> Acteur:
    """The référent a parcours goes to: active, not the one leaving, within ``u``'s reach."""
    if vers == c.id:
        raise refus_champ("tous_vers", "Choisissez un autre référent que celui qui part")
    nouveau = await acteur_referent(session, vers, "tous_vers")
    cible = await session.get(Compte, vers)
    if cible is None or not dans_le_perimetre(u, cible):
        raise refus_champ("tous_vers", "Ce référent n'est pas dans votre périmètre")
    return nouveau


async def desactiver(
    session: AsyncSession,
    u: Utilisateur,
    compte_id: str,
    d: Desactivation,
    *,
    parcours: ParcoursClient | None,
    today: date,
    adresse: str | None = None,
) -> CompteVue:
    """Deactivate an account. A référent's parcours are handed over first: none is left
    without a référent by a deactivation."""
    c = await compte(session, u, compte_id)
    if c.id == u.id:
        raise Refus(409, "Vous ne pouvez pas désactiver votre propre compte", "soi_meme")
    if not c.actif and not c.en_attente:
        return vue_compte(c, None)
    detenus = await parcours_detenus(session, c.id)
    remis: dict[str, str] = {}
    if detenus:
        if parcours is None:
            raise Refus(
                503, "Le moteur de parcours est injoignable", CodeErreur.TEMPORAL_INDISPONIBLE
            )
        remis = await _remettre(session, u, c, detenus, d, parcours, today)
    avant = valeurs_compte(c)
    await ecriture(session)
    row = await session.get(Compte, c.id)
    assert row is not None
    row.actif, row.en_attente = False, False
    await _fermer_acces(session, c.id)
    await session.commit()
    apres = valeurs_compte(row)
    if remis:
        apres |= {"parcours_remis": len(remis), "remis_a": sorted(set(remis.values()))[:5]}
    await journaliser_changement(
        session, u, "compte_desactive", f"compte:{c.id}", avant, apres, adresse
    )
    return vue_compte(row, None)


async def reactiver(
    session: AsyncSession, u: Utilisateur, compte_id: str, adresse: str | None = None
) -> CompteVue:
    """Reactivate a deactivated account, or approve one awaiting approval."""
    c = await compte(session, u, compte_id)
    avant = valeurs_compte(c)
    action: ActionAudit = "compte_approuve" if c.en_attente else "compte_reactive"
    await ecriture(session)
    row = await session.get(Compte, c.id)
    assert row is not None
    row.actif, row.en_attente = True, False
    await session.commit()
    await journaliser_changement(
        session, u, action, f"compte:{c.id}", avant, valeurs_compte(row), adresse
    )
    return vue_compte(row, None)


async def reinitialiser(
    session: AsyncSession,
    u: Utilisateur,
    compte_id: str,
    *,
    adresse_publique: str,
    envoyer: activation.Envoi,
    adresse: str | None = None,
) -> CompteVue:
    """Reset access: the password is forgotten, sessions end, a new activation link is sent
    (the earlier links stop working)."""
    c = await compte(session, u, compte_id)
    avant = valeurs_compte(c)
    await ecriture(session)
    row = await session.get(Compte, c.id)
    assert row is not None
    row.mot_de_passe = None
    await _fermer_acces(session, c.id)
    await session.commit()
    lien = await activation.nouveau_lien(session, row, adresse_publique)
    await envoyer(row, lien)
    apres = valeurs_compte(row)
    await journaliser_changement(
        session, u, "acces_reinitialise", f"compte:{c.id}", avant, apres, adresse
    )
    return vue_compte(row, None)


async def referents_possibles(session: AsyncSession, u: Utilisateur, sauf: str) -> list[Compte]:
    """The active référents that ``u`` may hand parcours to."""
    rows = await session.exec(
        select(Compte)
        .where(Compte.role == Role.REFERENT.value, col(Compte.actif).is_(True), Compte.id != sauf)
        .order_by(col(Compte.nom))
    )
    return [c for c in rows.all() if dans_le_perimetre(u, c)]
