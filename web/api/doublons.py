"""The accueil's duplicate check, without becoming a way to learn who has a parcours.

An open parcours is a duplicate when it has exactly the same normalised name, first name and
date of birth (``store.parcours.cle_identite``: accents, case, spaces, hyphens do not count),
or carries one of the partner identifiers given at the accueil. Nothing the person typed
goes into a LIKE. Inside the caller's scope the answer names the parcours (its reference);
outside it, it says only that one exists and whom to ask — the coordination of its territory.
Each duplicate found is written in the audit log against that parcours, and answers that find
one are limited per account: an accueil that finds none opens a parcours, which is seen.
"""

from __future__ import annotations

from datetime import date

from fastapi import Request
from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.common import Role, Territoire
from schemas.parcours import Accueil, Statut
from schemas.usager import IdentifiantsPartenaires
from services.audit import journaliser
from services.utilisateur import Utilisateur
from store.comptes import Compte
from store.imports import ImportLigneRow
from store.parcours import IdentifiantRow, ParcoursRow, cle_identite
from store.projection import CLE_NIR
from web.deps import adresse, get_limites
from web.erreurs import Refus
from web.requetes import portee


async def trouver(session: AsyncSession, accueil: Accueil) -> ParcoursRow | None:
    """An open parcours for the same person, if any (exact comparisons only)."""
    u = accueil.usager
    memes = [col(ParcoursRow.cle_identite) == cle_identite(u.nom, u.prenom, u.date_naissance)]
    paires = accueil.identifiants.pairs()
    if accueil.nir_empreinte:  # the same NIR: given at an accueil, or in an imported list
        paires = [*paires, (CLE_NIR, accueil.nir_empreinte)]
        listes = select(ImportLigneRow.parcours_id).where(
            ImportLigneRow.nir_empreinte == accueil.nir_empreinte,
            col(ImportLigneRow.resultat).in_(("ouvert", "mis_a_jour", "deja_connu")),
        )
        memes.append(col(ParcoursRow.id).in_(listes))
    if paires:
        porteurs = select(IdentifiantRow.parcours_id).where(
            or_(
                *(
                    and_(col(IdentifiantRow.cle) == k, col(IdentifiantRow.valeur) == v)
                    for k, v in paires
                )
            )
        )
        memes.append(col(ParcoursRow.id).in_(porteurs))
    requete = (
        select(ParcoursRow)
        .where(or_(*memes), col(ParcoursRow.statut) != Statut.CLOS.value)
        .order_by(col(ParcoursRow.ouvert_le))
        .limit(1)
    )
    return (await session.exec(requete)).first()


async def _dans_la_portee(
    session: AsyncSession, u: Utilisateur, row: ParcoursRow, today: date
) -> bool:
    requete = select(ParcoursRow.id).where(col(ParcoursRow.id) == row.id, portee(u, today))
    return (await session.exec(requete)).first() is not None


async def _coordination(session: AsyncSession, territoire: Territoire) -> str:
    """« la coordination du Chablais (Hélène Bouvier, helene.bouvier@…) »."""
    comptes = (
        await session.exec(
            select(Compte)
            .where(
                Compte.role == Role.COORDINATEUR.value,
                Compte.territoire == territoire.value,
                col(Compte.actif).is_(True),
            )
            .order_by(col(Compte.nom))
        )
    ).all()
    qui = ", ".join(f"{c.nom}, {c.email}" for c in comptes)
    return f"la coordination du territoire {territoire.label}" + (f" ({qui})" if qui else "")


def refuser_si_trop_de_signalements(u: Utilisateur, request: Request) -> None:
    """429 for an account that found too many duplicates this hour, whatever it asks now."""
    if secondes := get_limites(request).attente("doublons", u.id):
        minutes = (secondes - 1) // 60 + 1
        raise Refus(
            429,
            "Trop de doublons signalés en une heure pour ce compte : réessayez dans "
            f"{minutes} min, ou adressez-vous à la coordination",
            "trop_de_requetes",
            attente_s=minutes * 60,
        )


async def refuser_doublon(
    session: AsyncSession, u: Utilisateur, accueil: Accueil, request: Request, today: date
) -> None:
    """409 when the person already has an open parcours (unless the doublon is confirmed)."""
    refuser_si_trop_de_signalements(u, request)
    row = await trouver(session, accueil)
    if row is None:
        return
    get_limites(request).noter("doublons", u.id)
    visible = await _dans_la_portee(session, u, row, today)
    detail = "accueil : doublon signalé" + ("" if visible else " hors périmètre")
    objet = f"parcours:{row.id}"
    await journaliser(session, u, "doublon", objet, detail, adresse(request))
    if visible:
        message = (
            f"Un parcours est déjà ouvert pour cette personne (référence {row.reference}) ; "
            "confirmez le doublon pour en ouvrir un autre"
        )
    else:
        contact = await _coordination(session, Territoire(row.territoire))
        message = (
            "Un parcours est déjà ouvert pour cette personne hors de votre périmètre : "
            f"adressez-vous à {contact}, ou confirmez le doublon pour en ouvrir un autre"
        )
    raise Refus(409, message, "doublon")


def _libelle(cle: str) -> str:
    champ = IdentifiantsPartenaires.model_fields.get(cle)
    return champ.description if champ is not None and champ.description else cle


async def _porteurs(
    session: AsyncSession, cle: str, valeur: str, sauf: str | None
) -> list[ParcoursRow]:
    """The other open parcours carrying this identifier (what routes the partner's events)."""
    porteurs = select(IdentifiantRow.parcours_id).where(
        IdentifiantRow.cle == cle, IdentifiantRow.valeur == valeur
    )
    requete = select(ParcoursRow).where(
        col(ParcoursRow.id).in_(porteurs), col(ParcoursRow.statut) != Statut.CLOS.value
    )
    return [r for r in (await session.exec(requete)).all() if r.id != sauf]


def _la_coordination_decide(u: Utilisateur, porteurs: list[ParcoursRow]) -> bool:
    """The administration, or the coordination of every parcours concerned."""
    if u.est_admin:
        return True
    territoire = u.territoire.value if u.territoire else None
    return u.est_coordinateur and all(p.territoire == territoire for p in porteurs)


async def refuser_identifiant_porte(
    session: AsyncSession,
    u: Utilisateur,
    request: Request,
    paires: list[tuple[str, str]],
    *,
    parcours_id: str | None = None,
    prefixe: str = "",
) -> str:
    """An identifier that another open parcours carries routes that person's partner events:
    giving it to a parcours is the coordination's decision (issue 14, item 9). Refused (409,
    naming the field) for anyone else, counted and audited like a duplicate; for the
    coordination, returns the note its decision leaves in the audit log ("" when no
    identifier was taken)."""
    notes = []
    for cle, valeur in paires:
        porteurs = await _porteurs(session, cle, valeur, parcours_id)
        if not porteurs:
            continue
        if _la_coordination_decide(u, porteurs):
            notes.append(f"{cle} déjà porté par {', '.join(p.id for p in porteurs)}")
            continue
        get_limites(request).noter("doublons", u.id)
        objet = f"parcours:{porteurs[0].id}"
        detail = f"identifiant {cle} déjà porté : refusé"
        await journaliser(session, u, "doublon", objet, detail, adresse(request))
        message = (
            f"Ce {_libelle(cle)} est déjà porté par un autre parcours ouvert : vérifiez-le ; "
            "s'il est bien celui de cette personne, la coordination du territoire décide"
        )
        champ = f"{prefixe}{cle}"
        raise Refus(409, message, "identifiant_attribue", [{"champ": champ, "message": message}])
    return " ; ".join(notes)
