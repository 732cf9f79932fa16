"""A refusal that a person corrects by changing one field is a 422 naming that field (shown
beside it in the cockpit), not a 409: resume before the suspension, a decision departing from
the proposal without its reason, an embauche before the accueil, a J+30 point made too early.
409 stays for state conflicts. Nothing is changed by a refusal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from tests.api import donnees
from tests.fixtures.plateforme import Plateforme

CLAIRE = "ref-claire-martin"


async def _refus_sur_champ(
    client: httpx.AsyncClient, pid: str, commande: str, corps: dict[str, Any], champ: str
) -> str:
    avant = (await client.get(f"/api/v1/parcours/{pid}")).json()["etat"]["version_metier"]
    r = await client.post(f"/api/v1/parcours/{pid}/{commande}", json=corps)
    assert r.status_code == 422, r.text
    assert [e["champ"] for e in r.json()["erreurs"]] == [champ], r.text
    assert r.json()["erreurs"][0]["message"] == r.json()["detail"]
    apres = (await client.get(f"/api/v1/parcours/{pid}")).json()["etat"]["version_metier"]
    assert apres == avant
    return str(r.json()["detail"])


async def _ok(client: httpx.AsyncClient, pid: str, commande: str, corps: dict[str, Any]) -> None:
    r = await client.post(f"/api/v1/parcours/{pid}/{commande}", json=corps)
    assert r.status_code == 200, r.text


async def test_refus_corrigeables_en_422_sur_le_champ(plateforme: Plateforme) -> None:
    today = date.today()
    ouvert = today - timedelta(days=5)
    async with plateforme.client(CLAIRE) as claire:
        cree = await claire.post(
            "/api/v1/parcours",
            json=donnees.accueil(ouvert, nom="Champ") | {"doublon_confirme": True},
        )
        assert cree.status_code == 201, cree.text
        pid = cree.json()["id"]

        avant_accueil = donnees.embauche_cdi(ouvert - timedelta(days=3))
        await _refus_sur_champ(claire, pid, "declarer-embauche", avant_accueil, "date_debut")

        hier, avant_hier = today - timedelta(days=1), today - timedelta(days=2)
        suspension = {"le": hier.isoformat(), "motif": "Hospitalisation"}
        await _ok(claire, pid, "suspendre-parcours", suspension)
        await _refus_sur_champ(
            claire, pid, "reprendre-parcours", {"le": avant_hier.isoformat()}, "le"
        )
        await _ok(claire, pid, "reprendre-parcours", {"le": today.isoformat()})

        await _ok(claire, pid, "enregistrer-diagnostic", donnees.diagnostic(today))
        ecart = {  # the rules propose France Travail: another choice needs its reason
            "decidee_le": today.isoformat(),
            "type": "sociale",
            "organisme": "conseil_departemental",
            "referent_id": CLAIRE,
        }
        await _refus_sur_champ(claire, pid, "decider-orientation", ecart, "motif_ecart")

        await _ok(claire, pid, "declarer-embauche", donnees.embauche_cdi(today))
        trop_tot = {"jalon_jours": 30, "realise_le": today.isoformat(), "deroulement": "bien"}
        await _refus_sur_champ(claire, pid, "enregistrer-point-suivi", trop_tot, "realise_le")

        # a state conflict stays 409: a second resume while nothing is suspended
        r = await claire.post(
            f"/api/v1/parcours/{pid}/reprendre-parcours", json={"le": today.isoformat()}
        )
        assert r.status_code == 409, r.text


async def test_coordonnee_et_date_de_naissance_a_corriger(plateforme: Plateforme) -> None:
    """The link sent by SMS to a person with no phone: change the channel; a rectified birth
    date that makes her under 16 at the accueil: change the date."""
    today = date.today()
    async with plateforme.client(CLAIRE) as claire:
        sans_telephone = donnees.accueil(today, nom="Coordonnee", telephone=None)
        cree = await claire.post(
            "/api/v1/parcours", json=sans_telephone | {"doublon_confirme": True}
        )
        assert cree.status_code == 201, cree.text
        pid = cree.json()["id"]

        detail = await _refus_sur_champ(
            claire, pid, "envoyer-lien-carnet", {"canal": "sms"}, "canal"
        )
        assert detail == "Impossible d'envoyer le lien par SMS : coordonnée inconnue"

        usager = sans_telephone["usager"] | {
            "date_naissance": (today.replace(day=1, year=today.year - 15)).isoformat()
        }
        trop_jeune = {"usager": usager, "motif": "Erreur de saisie"}
        await _refus_sur_champ(
            claire, pid, "rectifier-identite", trop_jeune, "usager.date_naissance"
        )
