"""The administration of structures and accounts: the one seam that the cockpit's pages, the
JSON API and the command line all call (never a route calling another).

Who may do what is decided here, once:

* an **administrateur** administers every structure and every account;
* an **administrateur de territoire** administers the accounts of its territory;
* an **administrateur de structure** administers the accounts of its own structure.

An account outside someone's reach answers exactly like an unknown one (404), so that its
existence does not leak. Every change is written to the audit log with its author and the
values before and after, and shown on the account's page.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.parcours_client import CommandeImpossible, ParcoursClient
from schemas.common import Acteur, Organisme, Role, Territoire
from schemas.referent import DemandeTransfert, TransfertResolu
from store.audit import EntreeAudit
from store.comptes import Compte, JetonApi, SessionRow
from store.db import ecriture
from store.parcours import ParcoursRow
from store.structures import Structure
from web.administration import activation
from web.administration.schemas import (
    CompteModification,
    CompteSaisie,
    CompteVue,
    Desactivation,
    EntreeJournal,
    JetonVue,
    ParcoursDetenu,
    StructureSaisie,
    StructureVue,
)
from web.api.commandes import acteur_referent
from web.erreurs import Refus
from web.securite.audit import journaliser
from web.securite.utilisateur import Utilisateur

ROLES_DU_PERSONNEL = (
    Role.REFERENT,
    Role.COORDINATEUR,
    Role.ADMIN_STRUCTURE,
    Role.ADMIN_TERRITOIRE,
    Role.ADMINISTRATEUR,
    Role.CHARGE_ENTREPRISE,
)
# Which roles each kind of administrator may give.
ROLES_ATTRIBUABLES: dict[Role, frozenset[Role]] = {
    Role.ADMINISTRATEUR: frozenset(ROLES_DU_PERSONNEL),
    Role.ADMIN_TERRITOIRE: frozenset(
        {Role.REFERENT, Role.COORDINATEUR, Role.ADMIN_STRUCTURE, Role.CHARGE_ENTREPRISE}
    ),
    Role.ADMIN_STRUCTURE: frozenset({Role.REFERENT, Role.ADMIN_STRUCTURE}),
}
STATUTS = {
    "actif": "Actif",
    "invite": "Invité (lien d'activation envoyé)",
    "en_attente": "En attente d'approbation",
    "desactive": "Désactivé",
}
INTROUVABLE = "Compte introuvable"


def _refus_champ(champ: str, message: str, status: int = 422) -> Refus:
    return Refus(status, message, "donnees_invalides", [{"champ": champ, "message": message}])


def _interdit() -> Refus:
    return Refus(403, "Réservé à l'administration des comptes", "interdit")


def exiger_administration(u: Utilisateur) -> None:
    if not u.administre_des_comptes:
        raise _interdit()


def _slug(nom: str) -> str:
    ascii_nom = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_nom).strip("-")[:60] or "structure"


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _liste(valeur: str) -> list[str]:
    return [v for v in valeur.split(",") if v]


# --- Structures -------------------------------------------------------------------------


def vue_structure(s: Structure) -> StructureVue:
    organisme = Organisme(s.type)
    return StructureVue(
        id=s.id,
        nom=s.nom,
        type=organisme,
        type_libelle=organisme.label,
        siret=s.siret,
        territoires=[Territoire(t) for t in _liste(s.territoires)],
        domaines=_liste(s.domaines),
        contact_nom=s.contact_nom,
        contact_email=s.contact_email,
        contact_telephone=s.contact_telephone,
    )


def _structure_visible(u: Utilisateur, s: Structure) -> bool:
    if u.role == Role.ADMINISTRATEUR:
        return True
    if u.role == Role.ADMIN_TERRITOIRE:
        return u.territoire is not None and u.territoire.value in _liste(s.territoires)
    return u.role == Role.ADMIN_STRUCTURE and s.id == u.structure


async def lister_structures(session: AsyncSession, u: Utilisateur) -> list[StructureVue]:
    exiger_administration(u)
    rows = (await session.exec(select(Structure).order_by(col(Structure.nom)))).all()
    return [vue_structure(s) for s in rows if _structure_visible(u, s)]


async def structure(session: AsyncSession, u: Utilisateur, structure_id: str) -> Structure:
    exiger_administration(u)
    s = await session.get(Structure, structure_id)
    if s is None or not _structure_visible(u, s):
        raise Refus(404, "Structure introuvable", "structure_inconnue")
    return s


def _valeurs_structure(d: StructureSaisie) -> dict[str, Any]:
    return {
        "nom": d.nom,
        "type": d.type.value,
        "siret": d.siret,
        "territoires": ",".join(t.value for t in d.territoires),
        "domaines": ",".join(d.domaines),
        "contact_nom": d.contact_nom,
        "contact_email": str(d.contact_email) if d.contact_email else None,
        "contact_telephone": d.contact_telephone,
    }


async def _doublon_structure(
    session: AsyncSession, d: StructureSaisie, sauf: str | None = None
) -> None:
    meme_nom = (await session.exec(select(Structure).where(Structure.nom == d.nom))).first()
    if meme_nom is not None and meme_nom.id != sauf:
        raise _refus_champ("nom", f"Une structure s'appelle déjà « {d.nom} »", 409)
    if d.siret:
        meme = (await session.exec(select(Structure).where(Structure.siret == d.siret))).first()
        if meme is not None and meme.id != sauf:
            raise _refus_champ("siret", f"Ce SIRET est déjà celui de « {meme.nom} »", 409)


async def creer_structure(
    session: AsyncSession, u: Utilisateur, d: StructureSaisie, adresse: str | None = None
) -> StructureVue:
    if u.role != Role.ADMINISTRATEUR:
        raise Refus(403, "Seule l'administration du SPIE crée les structures", "interdit")
    await _doublon_structure(session, d)
    base, n = _slug(d.nom), 1
    sid = base
    while await session.get(Structure, sid) is not None:
        n += 1
        sid = f"{base}-{n}"
    valeurs = _valeurs_structure(d)
    await ecriture(session)
    s = Structure(id=sid, cree_le=datetime.now(UTC), **valeurs)
    session.add(s)
    await session.commit()
    await _journal(session, u, "structure_creee", f"structure:{sid}", None, valeurs, adresse)
    return vue_structure(s)


async def modifier_structure(
    session: AsyncSession,
    u: Utilisateur,
    structure_id: str,
    d: StructureSaisie,
    adresse: str | None = None,
) -> StructureVue:
    if u.role != Role.ADMINISTRATEUR:
        raise Refus(403, "Seule l'administration du SPIE modifie les structures", "interdit")
    s = await structure(session, u, structure_id)
    await _doublon_structure(session, d, sauf=s.id)
    avant = _valeurs_structure_row(s)
    apres = _valeurs_structure(d)
    await ecriture(session)
    row = await session.get(Structure, s.id)
    assert row is not None
    for cle, valeur in apres.items():
        setattr(row, cle, valeur)
    comptes = (await session.exec(select(Compte).where(Compte.structure_id == s.id))).all()
    for compte in comptes:  # the accounts act with their structure's type
        compte.organisme = d.type.value
    await session.commit()
    await _journal(session, u, "structure_modifiee", f"structure:{s.id}", avant, apres, adresse)
    return vue_structure(row)


def _valeurs_structure_row(s: Structure) -> dict[str, Any]:
    return {k: getattr(s, k) for k in _valeurs_structure_cles()}


def _valeurs_structure_cles() -> Sequence[str]:
    return (
        "nom",
        "type",
        "siret",
        "territoires",
        "domaines",
        "contact_nom",
        "contact_email",
        "contact_telephone",
    )


# --- Accounts: reading ----------------------------------------------------------------


def dans_le_perimetre(u: Utilisateur, c: Compte) -> bool:
    """Whether ``u`` administers the account ``c``."""
    if u.role == Role.ADMINISTRATEUR:
        return True
    if u.role == Role.ADMIN_TERRITOIRE:
        return u.territoire is not None and c.territoire == u.territoire.value
    if u.role == Role.ADMIN_STRUCTURE:
        return u.structure is not None and c.structure_id == u.structure
    return False


def statut(c: Compte) -> str:
    if c.en_attente:
        return "en_attente"
    if not c.actif:
        return "desactive"
    if c.mot_de_passe is None and c.oidc_sub is None:
        return "invite"
    return "actif"


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
        derniere_connexion=_aware(derniere),
        cree_le=_aware(c.cree_le) or c.cree_le,
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


async def compte(session: AsyncSession, u: Utilisateur, compte_id: str) -> Compte:
    exiger_administration(u)
    c = await session.get(Compte, compte_id)
    if c is None or c.role not in ROLES_DU_PERSONNEL or not dans_le_perimetre(u, c):
        raise Refus(404, INTROUVABLE, "compte_inconnu")
    return c


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
        EntreeJournal(le=_aware(e.le) or e.le, par=e.compte_id, action=e.action, detail=e.detail)
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
            cree_le=_aware(j.cree_le) or j.cree_le,
            expire_le=_aware(j.expire_le),
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


async def _journal(
    session: AsyncSession,
    u: Utilisateur | None,
    action: str,
    objet: str,
    avant: dict[str, Any] | None,
    apres: dict[str, Any] | None,
    adresse: str | None = None,
) -> None:
    if avant is not None and apres is not None:  # only what changed: the log keeps 500 chars
        changes = [k for k in apres if avant.get(k) != apres[k]]
        avant, apres = {k: avant.get(k) for k in changes}, {k: apres[k] for k in changes}
    detail = json.dumps({"avant": avant, "apres": apres}, ensure_ascii=False, default=str)
    await journaliser(session, u, action, objet, detail, adresse)


def _valeurs_compte(c: Compte) -> dict[str, Any]:
    return {
        "nom": c.nom,
        "email": c.email,
        "role": c.role,
        "structure_id": c.structure_id,
        "territoire": c.territoire,
        "statut": statut(c),
    }


async def _placement(
    session: AsyncSession,
    u: Utilisateur,
    role: Role,
    structure_id: str | None,
    territoire: Territoire | None,
) -> tuple[Structure | None, Territoire | None]:
    """Where the account goes: checked against what ``u`` may give, completed from ``u``."""
    if role not in ROLES_ATTRIBUABLES.get(u.role, frozenset()):
        raise _refus_champ("role", f"Vous ne pouvez pas attribuer le rôle « {role.label} »", 403)
    if u.role == Role.ADMIN_STRUCTURE:
        structure_id = structure_id or u.structure
        if structure_id != u.structure:
            raise _refus_champ("structure_id", "Uniquement dans votre structure", 403)
    if u.role == Role.ADMIN_TERRITOIRE:
        territoire = territoire or u.territoire
        if territoire != u.territoire:
            raise _refus_champ("territoire", "Uniquement sur votre territoire", 403)
    s = None
    if structure_id:
        s = await session.get(Structure, structure_id)
        if s is None or not _structure_visible(u, s):
            raise _refus_champ("structure_id", "Structure inconnue")
        servis = _liste(s.territoires)
        if territoire is None and len(servis) == 1:
            territoire = Territoire(servis[0])
        if territoire is not None and territoire.value not in servis:
            raise _refus_champ("territoire", "Cette structure ne sert pas ce territoire")
    if role in (Role.REFERENT, Role.ADMIN_STRUCTURE) and s is None:
        raise _refus_champ("structure_id", f"Un compte « {role.label} » appartient à une structure")
    if territoire is None and role in (
        Role.REFERENT,
        Role.COORDINATEUR,
        Role.ADMIN_TERRITOIRE,
        Role.CHARGE_ENTREPRISE,
    ):
        raise _refus_champ("territoire", f"Un compte « {role.label} » a un territoire")
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
        s, territoire = await _placement(session, u, d.role, d.structure_id, d.territoire)
    else:  # the first administrator, from the command line
        s, territoire = None, None
    email = str(d.email).lower()
    if (await session.exec(select(Compte).where(Compte.email == email))).first() is not None:
        raise _refus_champ("email", "Un compte existe déjà avec cette adresse électronique", 409)
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
    await _journal(session, u, "compte_cree", f"compte:{c.id}", None, _valeurs_compte(c), adresse)
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
    s, territoire = await _placement(session, u, role, structure_id, territoire)
    avant = _valeurs_compte(c)
    await ecriture(session)
    row = await session.get(Compte, c.id)
    assert row is not None
    row.nom = d.nom or row.nom
    row.role, row.structure_id = role.value, s.id if s else None
    row.organisme = s.type if s else None
    row.territoire = territoire.value if territoire else None
    await session.commit()
    await _journal(
        session, u, "compte_modifie", f"compte:{c.id}", avant, _valeurs_compte(row), adresse
    )
    return vue_compte(row, None)


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
        raise _refus_champ("tous_vers", "Choisissez un autre référent que celui qui part")
    nouveau = await acteur_referent(session, vers, "tous_vers")
    cible = await session.get(Compte, vers)
    if cible is None or not dans_le_perimetre(u, cible):
        raise _refus_champ("tous_vers", "Ce référent n'est pas dans votre périmètre")
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
            raise Refus(503, "Le moteur de parcours est injoignable", "temporal_indisponible")
        remis = await _remettre(session, u, c, detenus, d, parcours, today)
    avant = _valeurs_compte(c)
    await ecriture(session)
    row = await session.get(Compte, c.id)
    assert row is not None
    row.actif, row.en_attente = False, False
    await _fermer_acces(session, c.id)
    await session.commit()
    apres = _valeurs_compte(row)
    if remis:
        apres |= {"parcours_remis": len(remis), "remis_a": sorted(set(remis.values()))[:5]}
    await _journal(session, u, "compte_desactive", f"compte:{c.id}", avant, apres, adresse)
    return vue_compte(row, None)


async def reactiver(
    session: AsyncSession, u: Utilisateur, compte_id: str, adresse: str | None = None
) -> CompteVue:
    """Reactivate a deactivated account, or approve one awaiting approval."""
    c = await compte(session, u, compte_id)
    avant = _valeurs_compte(c)
    action = "compte_approuve" if c.en_attente else "compte_reactive"
    await ecriture(session)
    row = await session.get(Compte, c.id)
    assert row is not None
    row.actif, row.en_attente = True, False
    await session.commit()
    await _journal(session, u, action, f"compte:{c.id}", avant, _valeurs_compte(row), adresse)
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
    avant = _valeurs_compte(c)
    await ecriture(session)
    row = await session.get(Compte, c.id)
    assert row is not None
    row.mot_de_passe = None
    await _fermer_acces(session, c.id)
    await session.commit()
    lien = await activation.nouveau_lien(session, row, adresse_publique)
    await envoyer(row, lien)
    apres = _valeurs_compte(row)
    await _journal(session, u, "acces_reinitialise", f"compte:{c.id}", avant, apres, adresse)
    return vue_compte(row, None)


async def revoquer_jeton(
    session: AsyncSession, u: Utilisateur, compte_id: str, jeton_id: str, adresse: str | None = None
) -> JetonVue:
    c = await compte(session, u, compte_id)
    rows = (await session.exec(select(JetonApi).where(JetonApi.compte_id == c.id))).all()
    trouve = next((j for j in rows if j.empreinte[:16] == jeton_id), None)
    if trouve is None:
        raise Refus(404, "Jeton introuvable", "jeton_inconnu")
    await ecriture(session)
    row = await session.get(JetonApi, trouve.empreinte)
    assert row is not None
    row.revoque = True
    await session.commit()
    await _journal(
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
        cree_le=_aware(row.cree_le) or row.cree_le,
        expire_le=_aware(row.expire_le),
        revoque=True,
    )


async def referents_possibles(session: AsyncSession, u: Utilisateur, sauf: str) -> list[Compte]:
    """The active référents that ``u`` may hand parcours to."""
    rows = await session.exec(
        select(Compte)
        .where(Compte.role == Role.REFERENT.value, col(Compte.actif).is_(True), Compte.id != sauf)
        .order_by(col(Compte.nom))
    )
    return [c for c in rows.all() if dans_le_perimetre(u, c)]
