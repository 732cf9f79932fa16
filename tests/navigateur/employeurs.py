"""The people of the employers' side in the browser tests: Émilie, a référente of the Chablais
(demo account); a chargé de relation entreprise of the Chablais with a password; a person of
Thonon she accompanies, put in the pool with her consent."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from store.comptes import Compte
from store.db import ecriture, make_engine, session_factory
from tests.api import donnees
from tests.cockpit.conftest import stable
from tests.fixtures.plateforme import Plateforme
from tests.navigateur.conftest import MOT_DE_PASSE
from web.securite.mots_de_passe import hacher

EMILIE = "ref-emilie-faure"  # référente of the Chablais (demo accounts)
EMILIE_EMAIL = "emilie.faure@hautesavoie.fr"


async def charge_entreprise_du_chablais(plateforme: Plateforme) -> str:
    """An account with a password to log in with (as a real one, once activated)."""
    email = f"cre.chablais.{secrets.token_hex(4)}@spie74.fr"
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            await ecriture(session)
            session.add(
                Compte(
                    id=f"cre-{secrets.token_hex(6)}",
                    email=email,
                    nom="Jeanne Chablais",
                    role="charge_entreprise",
                    territoire="chablais",
                    mot_de_passe=hacher(MOT_DE_PASSE),
                    cree_le=datetime.now(UTC),
                )
            )
            await session.commit()
    finally:
        await engine.dispose()
    return email


async def personne_de_thonon(plateforme: Plateforme) -> tuple[str, str]:
    nom = "Vivier" + secrets.token_hex(3).upper()
    corps = donnees.accueil(
        date.today(), nom=nom, prenom="Inès", code_postal="74200", commune="Thonon-les-Bains"
    ) | {"territoire": "chablais", "doublon_confirme": True}
    async with plateforme.client(EMILIE) as emilie:
        r = await emilie.post("/api/v1/parcours", json=corps)
        assert r.status_code == 201, r.text
        pid = str(r.json()["id"])
        await stable(emilie, pid)
    return pid, nom


async def personne_du_vivier(plateforme: Plateforme, projets: list[str]) -> tuple[str, str]:
    """(parcours, name) of a person of Thonon whom Émilie puts in the pool with her consent,
    ready, for these ROME métiers, mornings."""
    pid, nom = await personne_de_thonon(plateforme)
    fiche = {"pret": True, "consentement": True, "projets": projets, "creneaux": ["matin"]}
    async with plateforme.client(EMILIE) as emilie:
        r = await emilie.put(f"/api/v1/parcours/{pid}/vivier", json=fiche)
        assert r.status_code == 200, r.text
    return pid, nom
