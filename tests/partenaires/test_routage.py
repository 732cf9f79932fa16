"""Events reach the parcours whose identifier they carry — once, in the order they happened —
and an event nobody claims waits for a coordinator, who attaches it."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlmodel import select

from schemas.usager import IdentifiantsPartenaires
from store.db import SessionFactory
from store.parcours import IdentifiantRow
from tests.factories import CLAIRE
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.partenaires.outils import (
    attendre,
    envoyer,
    evenement,
    identifiant_france_travail,
    il_y_a,
    numero_caf,
    ouvrir,
    projete,
    recu,
    salarie,
    vue,
)

ROMPU = "fr.employeur.contrat.rompu"
MOTIF = {"date": "2026-11-20", "motif": "Abandon de poste"}
COORD, COORD_CHABLAIS = "coord-bassin_annecien", "coord-chablais"


async def _avec(client: Any, pid: str, evenement_id: str) -> dict[str, Any]:
    """The parcours once the workflow has applied this event (signals are asynchronous)."""

    async def lire() -> dict[str, Any] | None:
        v = await vue(client, pid)
        ids = [e["details"].get("evenement_id") for e in v["etat"]["timeline"]]
        return v if evenement_id in ids else None

    return await attendre(lire, f"événement {evenement_id} appliqué au parcours")


async def test_contrat_rompu_livre_au_parcours_une_seule_fois(
    plateforme: Plateforme, simulateur: Simulateur, lecture: SessionFactory
) -> None:
    sujet = salarie()
    pid = await ouvrir(plateforme, IdentifiantsPartenaires(salarie=sujet))
    await projete(lecture, pid)

    envoi = await simulateur.evenement("employeur", ROMPU, sujet, MOTIF)
    assert envoi["statut_http"] == 202, envoi
    assert envoi["reponse"] == {"status": "accepted", "matched": True}
    ev_id = envoi["evenement"]["id"]
    async with plateforme.client(CLAIRE.id) as claire:
        v = await _avec(claire, pid, ev_id)
        assert [s["evenement_id"] for s in v["etat"]["signalements"]] == [ev_id]
        assert v["etat"]["situation_partenaires"]["contrat_travail"]["valeur"] == "rompu"
        rupture = next(e for e in v["etat"]["timeline"] if e["code"] == ROMPU)
        assert rupture["libelle"] == "Rupture du contrat de travail : Abandon de poste"

        # The dispatcher notes the delivery once the parcours took it: just after.
        async def livre() -> Any:
            row = await recu(lecture, "employeur", ev_id)
            return row if row is not None and row.statut == "livre" else None

        row = await attendre(livre, f"événement {ev_id} noté livré", 30)
        assert row.parcours_id == pid
        assert row.livre_le is not None

        doublon = await simulateur.evenement("employeur", ROMPU, sujet, MOTIF, id=ev_id)
        assert doublon["reponse"] == {"status": "duplicate", "matched": True}
        await asyncio.sleep(0.3)
        apres = await vue(claire, pid)
        assert apres["etat"]["version_metier"] == v["etat"]["version_metier"]
        assert apres["etat"]["timeline"] == v["etat"]["timeline"]


async def test_evenements_appliques_selon_leur_date(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    ft = identifiant_france_travail()
    pid = await ouvrir(plateforme, IdentifiantsPartenaires(france_travail=ft))
    await projete(lecture, pid)
    radie = evenement(
        plateforme,
        "france-travail",
        "fr.france-travail.demandeur.radie",
        ft,
        {"date": "2026-11-20", "motif": "Absence à convocation"},
        moment=il_y_a(1),
    )
    inscrit = evenement(
        plateforme,
        "france-travail",
        "fr.france-travail.demandeur.inscrit",
        ft,
        {"date_inscription": "2026-11-19"},
        moment=il_y_a(2),
    )
    for ev in (radie, inscrit):  # the later fact arrives first
        reponse = await envoyer(plateforme, "france-travail", ev)
        assert reponse.json() == {"status": "accepted", "matched": True}
    async with plateforme.client(CLAIRE.id) as claire:
        v = await _avec(claire, pid, inscrit["id"])
    fait = v["etat"]["situation_partenaires"]["inscription_france_travail"]
    assert (fait["valeur"], fait["evenement_id"]) == ("radie", radie["id"])
    assert "evenement_anterieur" in [e["code"] for e in v["etat"]["timeline"]]


async def test_evenement_inconnu_rapproche_puis_livre(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    caf = numero_caf()
    pid = await ouvrir(plateforme, IdentifiantsPartenaires())
    await projete(lecture, pid)
    ev = evenement(plateforme, "caf", "fr.caf.rsa.droits-suspendus", caf, MOTIF)
    reponse = await envoyer(plateforme, "caf", ev)
    assert reponse.json() == {"status": "accepted", "matched": False}

    chemin = f"/api/v1/partners/caf/events/{ev['id']}/rattacher"
    async with (
        plateforme.client(COORD) as coord,
        plateforme.client(COORD_CHABLAIS) as chablais,
        plateforme.client(CLAIRE.id) as claire,
    ):
        assert (await claire.get("/api/v1/partners/a-rapprocher")).status_code == 403
        file = (await coord.get("/api/v1/partners/a-rapprocher", params={"limit": 500})).json()
        attente = next(e for e in file["items"] if e["id"] == ev["id"])
        assert (
            attente["motif"]
            == f"Aucun parcours ouvert ne porte le numéro allocataire CAF « {caf} »"
        )
        assert attente["rattachable"] is True
        assert file["total"] >= 1

        hors_territoire = await chablais.post(chemin, json={"parcours_id": pid})
        assert hors_territoire.status_code == 404, hors_territoire.text
        rattache = await coord.post(chemin, json={"parcours_id": pid})
        assert rattache.status_code == 200, rattache.text
        assert rattache.json()["statut"] == "livre"
        assert rattache.json()["rattache_par"] == COORD
        assert (await coord.post(chemin, json={"parcours_id": pid})).status_code == 404

        v = await _avec(claire, pid, ev["id"])
        assert v["etat"]["identifiants"]["caf"] == caf
        assert "identifiants" in [e["code"] for e in v["etat"]["timeline"]]

    async def identifiant_projete() -> IdentifiantRow | None:
        async with lecture() as session:
            q = select(IdentifiantRow).where(
                IdentifiantRow.cle == "caf", IdentifiantRow.valeur == caf
            )
            return (await session.exec(q)).first()

    await attendre(identifiant_projete, "identifiant CAF dans le modèle de lecture")
    suivant = evenement(
        plateforme, "caf", "fr.caf.rsa.droits-ouverts", caf, {"date_effet": "2026-12-01"}
    )
    reponse = await envoyer(plateforme, "caf", suivant)
    assert reponse.json() == {"status": "accepted", "matched": True}  # found alone now


async def test_rattachements_refuses_ou_ambigus(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    caf = numero_caf()
    premier = await ouvrir(plateforme, IdentifiantsPartenaires(caf=caf))
    second = await ouvrir(plateforme, IdentifiantsPartenaires(caf=caf))
    autre = await ouvrir(plateforme, IdentifiantsPartenaires(caf=numero_caf()))
    for pid in (premier, second, autre):
        await projete(lecture, pid)
    ambigu = evenement(plateforme, "caf", "fr.caf.rsa.droits-clos", caf, MOTIF)
    assert (await envoyer(plateforme, "caf", ambigu)).json()["matched"] is False
    row = await recu(lecture, "caf", ambigu["id"])
    assert row is not None
    assert row.motif is not None
    assert row.motif.startswith("2 parcours ouverts portent")
    rdv = evenement(
        plateforme,
        "rdv",
        "fr.rdv.rdv.honore",
        "RDV-INCONNU",
        {"rdv_id": "RDV-INCONNU", "date_heure": "2026-11-20T10:00:00+01:00"},
    )
    assert (await envoyer(plateforme, "rdv", rdv)).status_code == 202

    async with plateforme.client(COORD) as coord:

        async def rattacher(partenaire: str, ev_id: str, pid: str) -> Any:
            chemin = f"/api/v1/partners/{partenaire}/events/{ev_id}/rattacher"
            return await coord.post(chemin, json={"parcours_id": pid})

        refus = await rattacher("rdv", rdv["id"], premier)
        assert (refus.status_code, refus.json()["code"]) == (409, "non_rattachable")
        refus = await rattacher("caf", ambigu["id"], autre)
        assert (refus.status_code, refus.json()["code"]) == (409, "identifiant_different")
        assert (await rattacher("caf", "inconnu", premier)).status_code == 404
        ok = await rattacher("caf", ambigu["id"], second)
        assert ok.status_code == 200, ok.text
        assert ok.json()["parcours_id"] == second
