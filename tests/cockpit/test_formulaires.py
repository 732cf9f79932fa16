"""Forms answer in French: errors beside the fields (422), refusals above the form (409), and
nothing changes; a success asks the page to refresh itself (HX-Trigger)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import httpx

from schemas.diagnostic import Frein
from tests.cockpit.conftest import HTMX, commande, nom_unique, ouvrir
from tests.cockpit.html import element, textes


async def _version(client: httpx.AsyncClient, pid: str) -> int:
    return int((await client.get(f"/api/v1/parcours/{pid}")).json()["etat"]["version"])


def _convention(debut: date, jours: int) -> dict[str, str]:
    return {
        "entreprise.siret": "73282932000074",
        "entreprise.raison_sociale": "Boulangerie du Semnoz",
        "entreprise.etablissement": "Fournil de Seynod",
        "entreprise.commune": "Seynod",
        "tuteur.nom": "Perret",
        "tuteur.prenom": "Lucie",
        "tuteur.fonction": "Cheffe boulangère",
        "date_debut": debut.isoformat(),
        "date_fin": (debut + timedelta(days=jours - 1)).isoformat(),
        "heures_hebdomadaires": "35",
        "horaires": "Du lundi au vendredi, 6 h – 13 h",
        "objectif": "decouvrir",
        "metier": "Vendeuse en boulangerie",
    }


async def test_pmsmp_de_31_jours_refusee_en_francais(
    claire: httpx.AsyncClient, en_contrat: str
) -> None:
    avant = await _version(claire, en_contrat)
    url = f"/parcours/{en_contrat}/commandes/prescrire_pmsmp"
    reponse = await claire.post(url, data=_convention(date.today(), 31), headers=HTMX)
    assert reponse.status_code == 422
    assert "Une PMSMP dure au plus 30 jours : cette convention en compte 31" in element(
        reponse.text, "champ-date_fin-erreur"
    )  # beside the end date, the field to correct
    assert "HX-Trigger" not in reponse.headers
    assert await _version(claire, en_contrat) == avant
    # the values typed are kept, so the référent only corrects the dates
    assert 'value="Boulangerie du Semnoz"' in reponse.text


async def test_erreurs_a_cote_des_champs(claire: httpx.AsyncClient, accueilli: str) -> None:
    """Eight freins with no level chosen: each says « Champ obligatoire » beside its radios."""
    url = f"/parcours/{accueilli}/commandes/enregistrer_diagnostic"
    formulaire = await claire.get(url, headers=HTMX)
    assert formulaire.status_code == 200
    assert 'name="freins.7.niveau"' in formulaire.text
    brut = {f"freins.{i}.frein": f.value for i, f in enumerate(Frein)}
    reponse = await claire.post(url, data=brut | {"realise_le": "2000-13-01"}, headers=HTMX)
    assert reponse.status_code == 422
    niveau = element(reponse.text, "champ-freins-2-niveau")
    assert "Champ obligatoire" in niveau
    assert "Date attendue au format AAAA-MM-JJ" in element(reponse.text, "champ-realise_le-erreur")
    assert "Situation professionnelle : Champ obligatoire" in textes(reponse.text)


async def test_commande_hors_phase_refusee_au_dessus_du_formulaire(
    claire: httpx.AsyncClient, accueilli: str
) -> None:
    """A contract at accueil: the server's 409 message, above the form, nothing changes."""
    avant = await _version(claire, accueilli)
    today = date.today()
    corps = {
        "type": "cer",
        "date_debut": today.isoformat(),
        "date_fin": (today + timedelta(days=180)).isoformat(),
        "objectifs.0.libelle": "Passer le permis B",
    }
    url = f"/parcours/{accueilli}/commandes/rediger_contrat"
    reponse = await claire.post(url, data=corps, headers=HTMX)
    assert reponse.status_code == 409
    assert "n'est pas possible en phase « Accueil »" in textes(reponse.text)
    assert await _version(claire, accueilli) == avant
    # the form is not even offered at this phase
    assert (await claire.get(url, headers=HTMX)).status_code == 409


async def test_succes_rafraichit_la_page(claire: httpx.AsyncClient, accueilli: str) -> None:
    url = f"/parcours/{accueilli}/commandes/enregistrer_contact"
    corps = {"le": date.today().isoformat(), "mode": "telephone", "objet": "Point d'étape"}
    reponse = await claire.post(url, data=corps, headers=HTMX)
    assert reponse.status_code == 200, reponse.text
    assert "c'est enregistré" in textes(reponse.text)
    assert "parcours-modifie" in json.loads(reponse.headers["HX-Trigger"])
    fil = await claire.get(f"/parcours/{accueilli}/fragments/timeline", headers=HTMX)
    assert "Point d&#39;étape" in fil.text or "Point d'étape" in textes(fil.text)


async def test_ajouter_une_ligne_garde_la_saisie(
    claire: httpx.AsyncClient, en_contrat: str
) -> None:
    url = f"/parcours/{en_contrat}/commandes/ajouter_avenant"
    corps = {
        "motif": "Nouvel objectif",
        "objectifs.0.libelle": "Trouver une garde",
        "_action": "ajouter:objectifs",
    }
    reponse = await claire.post(url, data=corps, headers=HTMX)
    assert reponse.status_code == 200
    assert 'value="Trouver une garde"' in reponse.text
    assert 'name="objectifs.1.libelle"' in reponse.text
    assert "HX-Trigger" not in reponse.headers


async def test_accueil_par_formulaire(claire: httpx.AsyncClient) -> None:
    today = date.today().isoformat()
    invalide = await claire.post("/parcours/nouveau", data={"accueilli_le": today}, headers=HTMX)
    assert invalide.status_code == 422
    assert "Champ obligatoire" in element(invalide.text, "champ-usager-nom-erreur")
    corps = {
        "accueilli_le": today,
        "usager.nom": nom_unique(),
        "usager.prenom": "Inès",
        "usager.date_naissance": "1990-04-02",
        "usager.code_postal": "74000",
        "usager.commune": "Annecy",
        "territoire": "bassin_annecien",
        "origine": "spontanee",
        "consentement.recueilli_le": today,
        "_present.consentement.partage_partenaires": "1",
        "consentement.partage_partenaires": "on",
        "_present.consentement.themes_sensibles": "1",
    }
    cree = await claire.post("/parcours/nouveau", data=corps, headers=HTMX)
    assert cree.status_code == 204, cree.text
    page = await claire.get(cree.headers["HX-Redirect"])
    assert "Inès" in page.text
    assert "Partage avec les partenaires : oui" in textes(page.text)


async def test_prescrire_une_action_du_catalogue(
    claire: httpx.AsyncClient, en_contrat: str
) -> None:
    url = f"/parcours/{en_contrat}/commandes/prescrire_action"
    formulaire = await claire.get(url, headers=HTMX)
    assert 'value="fle-annecy"' in element(formulaire.text, "champ-service_id")
    corps = {"service_id": "fle-annecy", "frein": "langue", "debut_prevu": date.today().isoformat()}
    reponse = await claire.post(url, data=corps, headers=HTMX)
    assert reponse.status_code == 200, reponse.text
    dossier = await claire.get(f"/parcours/{en_contrat}/fragments/dossier", headers=HTMX)
    assert "Atelier de français langue étrangère" in textes(dossier.text)
    assert f"/api/v1/parcours/{en_contrat}/contrat.pdf" in dossier.text


async def test_reprise_avant_la_suspension_signalee_a_cote_de_la_date(
    claire: httpx.AsyncClient,
) -> None:
    """A business rule on one field (resume before the suspension): a 422 beside that field,
    not a message above the form."""
    today = date.today()
    pid = await ouvrir(claire, today - timedelta(days=5))
    await commande(
        claire,
        pid,
        "suspendre_parcours",
        {"le": (today - timedelta(days=1)).isoformat(), "motif": "Hospitalisation"},
    )
    avant = await _version(claire, pid)
    url = f"/parcours/{pid}/commandes/reprendre_parcours"
    reponse = await claire.post(
        url, data={"le": (today - timedelta(days=3)).isoformat()}, headers=HTMX
    )
    assert reponse.status_code == 422
    assert "La reprise ne peut pas précéder la suspension" in element(
        reponse.text, "champ-le-erreur"
    )
    assert await _version(claire, pid) == avant
