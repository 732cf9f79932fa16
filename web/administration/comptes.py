"""Staff accounts: read (list, page, audit trail, API tokens, parcours held), created with
an activation link, changed, their API tokens revoked."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.common import Organisme, Role, Territoire
from schemas.erreurs import CodeErreur
from services.utilisateur import Utilisateur
from store.audit import EntreeAudit
from store.comptes import Compte, JetonApi
from store.db import ecriture
from store.parcours import ParcoursRow
from store.structures import Structure
from web.administration import activation
from web.administration.perimetre import (
    ROLES_ATTRIBUABLES,
    ROLES_DU_PERSONNEL,
    STATUTS,
    aware,
    compte,
    dans_le_perimetre,
    exiger_administration,
    journaliser_changement,
    liste,
    refus_champ,
    statut,
    structure_visible,
    valeurs_compte,
)
from web.administration.schemas import (
    CompteModification,
    CompteSaisie,
    CompteVue,
    EntreeJournal,
    JetonVue,
    ParcoursDetenu,
)
from web.erreurs import Refus


async def _dernieres_connexions(session: AsyncSession, ids: list[str]) -> dict[str, datetime]:
    """Last login of each account, read from the audit log (every login is written there)."""
    if not ids:
        return {}
    objets = [f"compte:{i}" for i in ids]
    rows = await session.exec(
        select(EntreeAudit.objet, func.max(EntreeAudit.le))
        .where(EntreeAudit.action == "connexion", col(EntreeAudit.objet).in_(objets))
        .group_by(col(EntreeAudit.objet))
    )
    return {objet.removeprefix("compte:"): le for objet, le in rows.all()}


def vue_compte(c: Compte, derniere: datetime | None) -> CompteVue:
    role = Role(c.role)
    code = statut(c)
    return CompteVue(
        id=c.id,
        email=c.email,
        nom=c.nom,
        role=role,
        role_libelle=role.label,
        structure_id=c.structure_id,
        organisme=Organisme(c.organisme) if c.organisme else None,
        territoire=Territoire(c.territoire) if c.territoire else None,
        statut=code,
        statut_libelle=STATUTS[code],
        derniere_connexion=aware(derniere),
        cree_le=aware(c.cree_le) or c.cree_le,
    )


async def lister_comptes(
    session: AsyncSession, u: Utilisateur, *, en_attente: bool = False
) -> list[CompteVue]:
    exiger_administration(u)
    requete = select(Compte).where(col(Compte.role).in_([r.value for r in ROLES_DU_PERSONNEL]))
    if en_attente:
        requete = requete.where(col(Compte.en_attente).is_(True))
    rows = [c for c in (await session.exec(requete.order_by(col(Compte.nom)))).all()]
    visibles = [c for c in rows if dans_le_perimetre(u, c)]
    connexions = await _dernieres_connexions(session, [c.id for c in visibles])
    return [vue_compte(c, connexions.get(c.id)) for c in visibles]


async def voir_compte(session: AsyncSession, u: Utilisateur, compte_id: str) -> CompteVue:
    c = await compte(session, u, compte_id)
    return vue_compte(c, (await _dernieres_connexions(session, [c.id])).get(c.id))


async def journal(session: AsyncSession, u: Utilisateur, compte_id: str) -> list[EntreeJournal]:
    """What was done to this account, newest first (its logins included)."""
    c = await compte(session, u, compte_id)
    rows = await session.exec(
        select(EntreeAudit)
        .where(EntreeAudit.objet == f"compte:{c.id}")
        .order_by(col(EntreeAudit.id).desc())
        .limit(200)
    )
    return [
        EntreeJournal(le=aware(e.le) or e.le, par=e.compte_id, action=e.action, detail=e.detail)
        for e in rows.all()
    ]


async def jetons(session: AsyncSession, u: Utilisateur, compte_id: str) -> list[JetonVue]:
    c = await compte(session, u, compte_id)
    rows = await session.exec(
        select(JetonApi).where(JetonApi.compte_id == c.id).order_by(col(JetonApi.cree_le))
    )
    return [
        JetonVue(
            id=j.empreinte[:16],  # a prefix of the hash names it; the token itself is never kept
            nom=j.nom,
            cree_le=aware(j.cree_le) or j.cree_le,
            expire_le=aware(j.expire_le),
            revoque=j.revoque,
        )
        for j in rows.all()
    ]


async def parcours_detenus(session: AsyncSession, compte_id: str) -> list[ParcoursDetenu]:
    rows = await session.exec(
        select(ParcoursRow)
        .where(ParcoursRow.referent_id == compte_id, col(ParcoursRow.clos_le).is_(None))
        .order_by(col(ParcoursRow.nom))
    )
    return [ParcoursDetenu(id=p.id, nom=f"{p.nom} {p.prenom}", phase=p.phase) for p in rows.all()]


# --- Accounts: changes -------------------------------------------------------------------


async def placement(
    session: AsyncSession,
    u: Utilisateur,
    role: Role,
    structure_id: str | None,
    territoire: Territoire | None,
) -> tuple[Structure | None, Territoire | None]:
    """Where the account goes: checked against what ``u`` may give, completed from ``u``."""
    if role not in ROLES_ATTRIBUABLES.get(u.role, frozenset()):
        raise refus_champ("role", f"Vous ne pouvez pas attribuer le rôle « {role.label} »", 403)
    if u.role == Role.ADMIN_STRUCTURE:
        structure_id = structure_id or u.structure
        if structure_id != u.structure:
            raise refus_champ("structure_id", "Uniquement dans votre structure", 403)
    if u.role == Role.ADMIN_TERRITOIRE:
        territoire = territoire or u.territoire
        if territoire != u.territoire:
            raise refus_champ("territoire", "Uniquement sur votre territoire", 403)
    s = None
    if structure_id:
        s = await session.get(Structure, structure_id)
        if s is None or not structure_visible(u, s):
            raise refus_champ("structure_id", "Structure inconnue")
        servis = liste(s.territoires)
        if territoire is None and len(servis) == 1:
            territoire = Territoire(servis[0])
        if territoire is not None and territoire.value not in servis:
            raise refus_champ("territoire", "Cette structure ne sert pas ce territoire")
    if role in (Role.REFERENT, Role.ADMIN_STRUCTURE) and s is None:
        raise refus_champ("structure_id", f"Un compte « {role.label} » appartient à une structure")
    if territoire is None and role in (
        Role.REFERENT,
        Role.COORDINATEUR,
        Role.ADMIN_TERRITOIRE,
        Role.CHARGE_ENTREPRISE,
    ):
        raise refus_champ("territoire", f"Un compte « {role.label} » a un territoire")
    return s, territoire


async def creer_compte(
    session: AsyncSession,
    u: Utilisateur | None,
    d: CompteSaisie,
    *,
    adresse_publique: str,
    envoyer: activation.Envoi,
    adresse: str | None = None,
) -> tuple[CompteVue, str]:
    """Create an account and its activation link; returns it and the link (sent by e-mail;
    only the command line shows it)."""
    if u is not None:
        exiger_administration(u)
        s, territoire = await placement(session, u, d.role, d.structure_id, d.territoire)
    else:  # the first administrator, from the command line
        s, territoire = None, None
    email = str(d.email).lower()
    if (await session.exec(select(Compte).where(Compte.email == email))).first() is not None:
        raise refus_champ("email", "Un compte existe déjà avec cette adresse électronique", 409)
    await ecriture(session)
    c = Compte(
        id=f"{d.role.value[:5]}-{uuid.uuid4().hex[:12]}",
        email=email,
        nom=d.nom,
        role=d.role.value,
        organisme=s.type if s else None,
        territoire=territoire.value if territoire else None,
        structure_id=s.id if s else None,
        mot_de_passe=None,  # chosen by the person, on the activation page
        cree_le=datetime.now(UTC),
    )
    session.add(c)
    await session.commit()
    await journaliser_changement(
        session, u, "compte_cree", f"compte:{c.id}", None, valeurs_compte(c), adresse
    )
    lien = await activation.nouveau_lien(session, c, adresse_publique)
    await envoyer(c, lien)
    return vue_compte(c, None), lien


async def modifier_compte(
    session: AsyncSession,
    u: Utilisateur,
    compte_id: str,
    d: CompteModification,
    adresse: str | None = None,
) -> CompteVue:
    c = await compte(session, u, compte_id)
    role = d.role or Role(c.role)
    structure_id = d.structure_id if "structure_id" in d.model_fields_set else c.structure_id
    territoire = (
        d.territoire
        if "territoire" in d.model_fields_set
        else (Territoire(c.territoire) if c.territoire else None)
    )
    s, territoire = await placement(session, u, role, structure_id, territoire)
    avant = valeurs_compte(c)
    await ecriture(session)
    row = await session.get(Compte, c.id)
    assert row is not None
    row.nom = d.nom or row.nom
    row.role, row.structure_id = role.value, s.id if s else None
    row.organisme = s.type if s else None
    row.territoire = territoire.value if territoire else None
    await session.commit()
    await journaliser_changement(
        session, u, "compte_modifie", f"compte:{c.id}", avant, valeurs_compte(row), adresse
    )
    return vue_compte(row, None)


async def revoquer_jeton(
    session: AsyncSession, u: Utilisateur, compte_id: str, jeton_id: str, adresse: str | None = None
) -> JetonVue:
    c = await compte(session, u, compte_id)
    rows = (await session.exec(select(JetonApi).where(JetonApi.compte_id == c.id))).all()
    trouve = next((j for j in rows if j.empreinte[:16] == jeton_id), None)
    if trouve is None:
        raise Refus(404, "Jeton introuvable", CodeErreur.JETON_INCONNU)
    await ecriture(session)
    row = await session.get(JetonApi, trouve.empreinte)
    assert row is not None
    row.revoque = True
    await session.commit()
    await journaliser_changement(
        session,
        u,
        "jeton_revoque",
        f"compte:{c.id}",
        {"jeton": row.nom, "revoque": False},
        {"jeton": row.nom, "revoque": True},
        adresse,
    )
    return JetonVue(
        id=jeton_id,
        nom=row.nom,
        cree_le=aware(row.cree_le) or row.cree_le,
        expire_le=aware(row.expire_le),
        revoque=True,
    )
