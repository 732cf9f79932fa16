"""Demo accounts: one coordinator per territory, référents of every organisme, an administrator.
All share the password below (documented in the README; never use it in production)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.common import Organisme, Role, Territoire
from store.comptes import Compte
from store.db import create_schema, ecriture, make_engine, session_factory
from web.securite.mots_de_passe import hacher
from web.securite.sessions import creer_jeton

MOT_DE_PASSE_DEMO = "parcours-demo"

DOMAINES = {
    Organisme.CONSEIL_DEPARTEMENTAL: "hautesavoie.fr",
    Organisme.FRANCE_TRAVAIL: "francetravail.fr",
    Organisme.MISSION_LOCALE: "missionlocale74.fr",
    Organisme.CAP_EMPLOI: "capemploi74.fr",
    Organisme.SIAE: "inclusion74.fr",
    Organisme.PLIE: "plie74.fr",
}

REFERENTS: dict[Territoire, dict[Organisme, list[str]]] = {
    Territoire.BASSIN_ANNECIEN: {
        Organisme.CONSEIL_DEPARTEMENTAL: ["Claire Martin", "Sophie Girard"],
        Organisme.FRANCE_TRAVAIL: ["Karim Benali"],
        Organisme.MISSION_LOCALE: ["Léa Dubois"],
        Organisme.CAP_EMPLOI: ["Marc Roux"],
        Organisme.SIAE: ["Julien Morel"],
        Organisme.PLIE: ["Isabelle Fournier"],
    },
    Territoire.GENEVOIS_FRANCAIS: {
        Organisme.CONSEIL_DEPARTEMENTAL: ["Thomas Bernard"],
        Organisme.FRANCE_TRAVAIL: ["Amélie Rousseau"],
        Organisme.MISSION_LOCALE: ["Hugo Lambert"],
        Organisme.CAP_EMPLOI: ["Nadia Perrin"],
        Organisme.SIAE: ["Samir Khelifi"],
        Organisme.PLIE: ["Chloé Vidal"],
    },
    Territoire.CHABLAIS: {
        Organisme.CONSEIL_DEPARTEMENTAL: ["Émilie Faure"],
        Organisme.FRANCE_TRAVAIL: ["Nicolas Blanc"],
        Organisme.MISSION_LOCALE: ["Camille Henry"],
        Organisme.CAP_EMPLOI: ["Yann Garnier"],
        Organisme.SIAE: ["Agathe Roche"],
        Organisme.PLIE: ["Bruno Meunier"],
    },
    Territoire.VALLEE_ARVE: {
        Organisme.CONSEIL_DEPARTEMENTAL: ["Pauline Chevalier"],
        Organisme.FRANCE_TRAVAIL: ["Mehdi Haddad"],
        Organisme.MISSION_LOCALE: ["Laura Mercier"],
        Organisme.CAP_EMPLOI: ["Olivier Dupuis"],
        Organisme.SIAE: ["Inès Barbier"],
        Organisme.PLIE: ["Romain Guillot"],
    },
}

COORDINATEURS = {
    Territoire.BASSIN_ANNECIEN: "Anne Lefèvre",
    Territoire.GENEVOIS_FRANCAIS: "David Moreau",
    Territoire.CHABLAIS: "Hélène Bouvier",
    Territoire.VALLEE_ARVE: "François Carron",
}


def _slug(nom: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode()
    return ascii_name.lower().replace(" ", ".")


@dataclass(frozen=True)
class CompteDemo:
    id: str
    email: str
    nom: str
    role: Role
    organisme: Organisme | None
    territoire: Territoire | None


def comptes_demo() -> list[CompteDemo]:
    comptes = [
        CompteDemo(
            "admin", "admin@spie74.fr", "Administration SPIE", Role.ADMINISTRATEUR, None, None
        )
    ]
    for territoire, nom in COORDINATEURS.items():
        comptes.append(
            CompteDemo(
                f"coord-{territoire.value}",
                f"{_slug(nom)}@spie74.fr",
                nom,
                Role.COORDINATEUR,
                None,
                territoire,
            )
        )
    for territoire, organismes in REFERENTS.items():
        for organisme, noms in organismes.items():
            for nom in noms:
                comptes.append(
                    CompteDemo(
                        f"ref-{_slug(nom).replace('.', '-')}",
                        f"{_slug(nom)}@{DOMAINES[organisme]}",
                        nom,
                        Role.REFERENT,
                        organisme,
                        territoire,
                    )
                )
    return comptes


def referents(territoire: Territoire, organisme: Organisme) -> list[CompteDemo]:
    return [c for c in comptes_demo() if c.territoire == territoire and c.organisme == organisme]


async def creer_comptes(session: AsyncSession) -> int:
    """Create the missing demo accounts; returns how many were created."""
    created = 0
    empreinte = hacher(MOT_DE_PASSE_DEMO)
    await ecriture(session)
    for c in comptes_demo():
        if await session.get(Compte, c.id) is None:
            session.add(
                Compte(
                    id=c.id,
                    email=c.email,
                    nom=c.nom,
                    role=c.role.value,
                    organisme=c.organisme.value if c.organisme else None,
                    territoire=c.territoire.value if c.territoire else None,
                    mot_de_passe=empreinte,
                    cree_le=datetime.now(UTC),
                )
            )
            created += 1
    await session.commit()
    return created


async def base_avec_comptes(database_url: str, libelle_jetons: str) -> dict[str, str]:
    """A read model at the latest schema with the demo accounts, and one API token per account
    (what the API clients of the tests and of the bench hold), by account id."""
    engine = make_engine(database_url)
    await create_schema(engine)
    jetons: dict[str, str] = {}
    async with session_factory(engine)() as session:
        await creer_comptes(session)
        for compte in (await session.exec(select(Compte))).all():
            jetons[compte.id] = await creer_jeton(session, compte, libelle_jetons)
    await engine.dispose()
    return jetons
