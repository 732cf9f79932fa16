"""Accounts that no administrator created by hand: the first administrator of a new
installation (from the command line, refused once an administrator exists), and an agent's
first ProConnect login that matches a known structure (pending its administrator's approval,
when ``OIDC_COMPTES_EN_ATTENTE`` is on)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.common import Role
from services.audit import journaliser
from store.comptes import Compte
from store.db import ecriture
from store.structures import Structure
from web.administration import activation
from web.administration.schemas import CompteSaisie
from web.administration.service import creer_compte
from web.erreurs import Refus

EN_ATTENTE = (
    "Votre demande d'accès est transmise à l'administrateur de votre structure : "
    "vous pourrez vous connecter dès qu'il l'aura approuvée."
)


async def premier_administrateur(
    session: AsyncSession, email: str, nom: str, adresse_publique: str
) -> tuple[str, str]:
    """Creates the first administrator: its id and activation link (printed once)."""
    existe = await session.exec(
        select(Compte).where(Compte.role == Role.ADMINISTRATEUR.value).limit(1)
    )
    if existe.first() is not None:
        raise Refus(
            409,
            "Un administrateur existe déjà : il crée les autres comptes depuis le cockpit",
            "administrateur_existant",
        )
    d = CompteSaisie(email=email, nom=nom, role=Role.ADMINISTRATEUR)
    vue, lien = await creer_compte(
        session, None, d, adresse_publique=adresse_publique, envoyer=activation.sans_envoi
    )
    return vue.id, lien


def _siret_des_claims(claims: dict[str, Any]) -> str | None:
    siret = str(claims.get("siret", "")).replace(" ", "")
    return siret if len(siret) == 14 and siret.isdigit() else None


async def structure_reconnue(session: AsyncSession, claims: dict[str, Any]) -> Structure | None:
    """The structure that the identity's SIRET claim, or its e-mail domain, designates."""
    if (siret := _siret_des_claims(claims)) is not None:
        trouvee = (await session.exec(select(Structure).where(Structure.siret == siret))).first()
        if trouvee is not None:
            return trouvee
    domaine = str(claims.get("email", "")).lower().rpartition("@")[2]
    if not domaine:
        return None
    for s in (await session.exec(select(Structure).order_by(col(Structure.nom)))).all():
        if domaine in s.domaines.split(","):
            return s
    return None


async def demande_proconnect(session: AsyncSession, claims: dict[str, Any]) -> Compte | None:
    """A first login without an account: when the identity matches a known structure, an
    account awaiting its administrator's approval (inactive until then), else None.
    Requires a verified e-mail (the caller checks ``email_verified``)."""
    email = str(claims.get("email", "")).lower()
    if not email or (s := await structure_reconnue(session, claims)) is None:
        return None
    if (await session.exec(select(Compte).where(Compte.email == email))).first() is not None:
        return None  # an existing account (deactivated, or already pending) is not recreated
    prenom, nom = str(claims.get("given_name", "")), str(claims.get("usual_name", ""))
    territoires = [t for t in s.territoires.split(",") if t]
    await ecriture(session)
    c = Compte(
        id=f"refer-{uuid.uuid4().hex[:12]}",
        email=email,
        nom=f"{prenom} {nom}".strip() or email,
        role=Role.REFERENT.value,
        organisme=s.type,
        territoire=territoires[0] if len(territoires) == 1 else None,
        structure_id=s.id,
        oidc_sub=str(claims["sub"]),
        actif=False,
        en_attente=True,
        cree_le=datetime.now(UTC),
    )
    session.add(c)
    await session.commit()
    await journaliser(
        session, None, "compte_demande", f"compte:{c.id}", f"ProConnect, structure {s.id}"
    )
    return c
