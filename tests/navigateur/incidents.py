"""An open incident with France Travail, for the coordination's browser tests: the caller puts
the simulator's France Travail in outage first, and back to normal when it wants the retry to
succeed."""

from __future__ import annotations

from datetime import date
from typing import Any

from schemas.usager import IdentifiantsPartenaires
from services.parcours_client import ParcoursClient
from tests import factories
from tests.api import donnees
from tests.cockpit.conftest import commande, nom_unique
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import RAPIDE, attendre, identifiant_france_travail


async def incident_france_travail(plateforme: Plateforme) -> tuple[str, str, dict[str, Any]]:
    """A parcours whose orientation could not be notified to France Travail: its id, the
    person's name as the lists show it, and the open incident."""
    today = date.today()
    identifiants = IdentifiantsPartenaires(france_travail=identifiant_france_travail())
    accueil = factories.accueil_rsa(today).model_copy(update={"identifiants": identifiants})
    usager = accueil.usager.model_copy(update={"nom": nom_unique()})
    accueil = accueil.model_copy(update={"usager": usager})
    client = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    pid = (await client.ouvrir(accueil, factories.CLAIRE, politique_appels=RAPIDE)).parcours_id
    async with plateforme.client(factories.CLAIRE.id) as claire:
        await commande(claire, pid, "enregistrer_diagnostic", donnees.diagnostic(today))
        decision = {
            "decidee_le": today.isoformat(),
            "type": "professionnelle",
            "organisme": "france_travail",
            "referent_id": factories.KARIM.id,
            "motif_ecart": "Projet professionnel prêt",
        }
        await commande(claire, pid, "decider_orientation", decision)

        async def incident() -> dict[str, Any] | None:
            etat = (await claire.get(f"/api/v1/parcours/{pid}")).json()["etat"]
            return next((i for i in etat["incidents"] if i["statut"] == "ouvert"), None)

        ouvert = await attendre(incident, "incident France Travail ouvert", delai_s=30)
    return pid, usager.nom.upper(), ouvert
