"""The batched mode of the CloudEvents HTTP binding on the same endpoint: one signature over
the JSON array, each event checked as a single one would be, the valid ones stored in one
transaction, one result per event in the batch's order."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import col, func, select

from schemas.usager import IdentifiantsPartenaires
from services.parcours_client import ParcoursClient
from store.db import SessionFactory
from store.evenements_partenaires import EvenementRecu
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import (
    attendre,
    envoyer_lot,
    evenement,
    ouvrir,
    poster,
    projete,
    recu,
    salarie,
    signe_lot,
    traces_audit,
)
from web.partenaires.corps import TAILLE_MAX

ROMPU, SIGNE = "fr.employeur.contrat.rompu", "fr.employeur.contrat.signe"
MOTIF = {"date": "2026-11-20", "motif": "Fin de contrat à l'initiative du salarié"}
CONTRAT = {"type_contrat": "CDD", "date_debut": "2026-11-02"}


def _rompu(p: Plateforme, sujet: str | None = None, **data: Any) -> dict[str, Any]:
    return evenement(p, "employeur", ROMPU, sujet or salarie(), {**MOTIF, **data})


async def _stockes(lecture: SessionFactory, ids: list[str]) -> int:
    async with lecture() as session:
        n = await session.exec(
            select(func.count())
            .select_from(EvenementRecu)
            .where(EvenementRecu.partenaire == "employeur", col(EvenementRecu.id).in_(ids))
        )
        return int(n.one())


async def test_lot_accepte_un_resultat_par_evenement(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    sujet = salarie()
    pid = await ouvrir(plateforme, IdentifiantsPartenaires(salarie=sujet))
    await projete(lecture, pid)
    connu = evenement(plateforme, "employeur", SIGNE, sujet, CONTRAT)
    inconnu = _rompu(plateforme)
    reponse = await envoyer_lot(plateforme, "employeur", [connu, inconnu])
    assert reponse.status_code == 202, reponse.text
    assert reponse.json() == {
        "acceptes": 2,
        "doublons": 0,
        "refuses": 0,
        "resultats": [
            {"id": connu["id"], "status": "accepted", "matched": True, "erreurs": []},
            {"id": inconnu["id"], "status": "accepted", "matched": False, "erreurs": []},
        ],
    }
    assert pid not in reponse.text  # no more than a single answer tells: never the parcours
    for ev in (connu, inconnu):
        assert await recu(lecture, "employeur", ev["id"]) is not None
        assert await traces_audit(lecture, "employeur", ev["id"]) == 1  # one entry per event


async def test_lot_avec_des_evenements_invalides(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    """The valid events are stored, each invalid one is named with its reason: 207."""
    bon, autre_bon = _rompu(plateforme), _rompu(plateforme)
    sans_motif = _rompu(plateforme)
    del sans_motif["data"]["motif"]
    de_la_caf = evenement(
        plateforme, "employeur", "fr.caf.rsa.droits-clos", "1234567", MOTIF, identifiant="caf-1"
    )
    lot: list[Any] = [bon, sans_motif, autre_bon, de_la_caf, 42]
    reponse = await envoyer_lot(plateforme, "employeur", lot)
    assert reponse.status_code == 207, reponse.text
    corps = reponse.json()
    assert (corps["acceptes"], corps["doublons"], corps["refuses"]) == (2, 0, 3)
    r = corps["resultats"]
    assert [x["status"] for x in r] == ["accepted", "refused", "accepted", "refused", "refused"]
    assert r[1]["id"] == sans_motif["id"]
    assert r[1]["code"] == "donnees_invalides"
    assert r[1]["erreurs"] == [{"champ": "data.motif", "message": "Champ obligatoire"}]
    assert r[3]["code"] == "type_interdit"
    assert "réservé au partenaire" in r[3]["message"]
    assert "id" not in r[4]  # not even an object: no id to name it by, its position does
    assert r[4]["erreurs"][0]["champ"] == "corps"
    assert await _stockes(lecture, [bon["id"], autre_bon["id"]]) == 2
    assert await recu(lecture, "employeur", sans_motif["id"]) is None
    assert await traces_audit(lecture, "employeur", sans_motif["id"]) == 0


async def test_lot_rejoue_ne_stocke_rien_deux_fois(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    evs = [_rompu(plateforme) for _ in range(3)]
    premier = await envoyer_lot(plateforme, "employeur", evs)
    assert premier.json()["acceptes"] == 3, premier.text
    rejoue = await envoyer_lot(plateforme, "employeur", evs)  # signed again: a partner's retry
    assert rejoue.status_code == 202, rejoue.text
    assert [x["status"] for x in rejoue.json()["resultats"]] == ["duplicate"] * 3
    assert await _stockes(lecture, [e["id"] for e in evs]) == 3

    double = _rompu(plateforme)  # the same id twice in one batch: once stored
    reponse = await envoyer_lot(plateforme, "employeur", [double, double])
    assert [x["status"] for x in reponse.json()["resultats"]] == ["accepted", "duplicate"]
    assert await _stockes(lecture, [double["id"]]) == 1


async def test_signature_sur_tout_le_lot(plateforme: Plateforme, lecture: SessionFactory) -> None:
    evs = [_rompu(plateforme), _rompu(plateforme)]
    corps, headers = signe_lot(plateforme, "employeur", evs)
    modifie = corps.replace(b"Fin de contrat", b"Fin de mission", 1)  # one event changed
    reponse = await poster(plateforme, "employeur", modifie, headers)
    assert reponse.status_code == 401, reponse.text
    assert reponse.json()["code"] == "signature_invalide"
    _, de_la_caf = signe_lot(plateforme, "caf", evs)  # the right form, another secret
    reponse = await poster(plateforme, "employeur", corps, de_la_caf)
    assert reponse.status_code == 401, reponse.text
    assert await _stockes(lecture, [e["id"] for e in evs]) == 0


async def test_taille_du_lot(plateforme: Plateforme, lecture: SessionFactory) -> None:
    modele = _rompu(plateforme)
    trop = [{**modele, "id": str(uuid.uuid4())} for _ in range(1001)]
    reponse = await envoyer_lot(plateforme, "employeur", trop)
    assert reponse.status_code == 413, reponse.text
    assert reponse.json()["code"] == "lot_trop_grand"
    assert "1000 au plus" in reponse.json()["message"]
    assert await _stockes(lecture, [e["id"] for e in trop]) == 0

    lourds = [_rompu(plateforme, note="x" * (TAILLE_MAX - 1000)) for _ in range(5)]
    corps, headers = signe_lot(plateforme, "employeur", lourds)  # over 1 Mio
    reponse = await poster(plateforme, "employeur", corps, headers)  # Content-Length announced
    assert reponse.status_code == 413, reponse.text

    async def morceaux() -> AsyncIterator[bytes]:  # chunked: no length announced
        for i in range(0, len(corps), 65536):
            yield corps[i : i + 65536]

    reponse = await poster(plateforme, "employeur", morceaux(), headers)
    assert reponse.status_code == 413, reponse.text
    assert reponse.json()["message"] == "Corps trop volumineux : 1 Mio au plus par lot"
    assert await _stockes(lecture, [e["id"] for e in lourds]) == 0

    gros, petit = _rompu(plateforme, note="x" * TAILLE_MAX), _rompu(plateforme)
    reponse = await envoyer_lot(plateforme, "employeur", [gros, petit])  # one event too big
    assert reponse.status_code == 207, reponse.text
    r = reponse.json()["resultats"]
    assert (r[0]["status"], r[0]["code"], r[1]["status"]) == ("refused", "trop_gros", "accepted")
    assert await recu(lecture, "employeur", gros["id"]) is None


@pytest.mark.timeout(60)
async def test_la_limite_compte_les_evenements(plateforme: Plateforme) -> None:
    """A batch counts as many events as it carries against the partner's per-minute limit;
    one that exceeds the limit itself is refused with the limit named."""
    maximum = plateforme.settings.partner_rate_limit_per_minute
    evs = [evenement(plateforme, "siae", "fr.siae.inconnu", "999990000001", {})] * 2
    reponse = await envoyer_lot(plateforme, "siae", evs * ((maximum + 2) // 2))
    assert reponse.status_code == 413, reponse.text
    assert f"limite de {maximum} événements par minute" in reponse.json()["message"]

    reponse = await envoyer_lot(plateforme, "siae", evs * (maximum // 2))
    assert reponse.status_code == 207, reponse.text  # every one refused: an unknown type
    reponse = await envoyer_lot(plateforme, "siae", evs[:1])
    assert reponse.status_code == 429, reponse.text
    assert int(reponse.headers["retry-after"]) >= 1


async def _fil(plateforme: Plateforme, pid: str) -> list[str]:
    etat = await ParcoursClient(plateforme.env.client, plateforme.task_queue).etat(pid)
    return [e.details["evenement_id"] for e in etat.timeline if "evenement_id" in e.details]


async def test_lot_melant_des_parcours_garde_l_ordre_de_chacun(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    sujets = {"A": salarie(), "B": salarie()}
    pids = {
        k: await ouvrir(plateforme, IdentifiantsPartenaires(salarie=s)) for k, s in sujets.items()
    }
    for pid in pids.values():
        await projete(lecture, pid)
    lot: list[dict[str, Any]] = []
    attendus: dict[str, list[str]] = {"A": [], "B": []}
    for n, qui in enumerate("ABABAB"):
        type_, data = (SIGNE, CONTRAT) if n % 4 < 2 else (ROMPU, MOTIF)
        # dates backwards: the order kept is the batch's, not the facts'
        moment = datetime(2026, 11, 20 - n, 9, tzinfo=UTC)
        ev = evenement(plateforme, "employeur", type_, sujets[qui], data, moment=moment)
        lot.append(ev)
        attendus[qui].append(ev["id"])
    reponse = await envoyer_lot(plateforme, "employeur", lot)
    assert reponse.status_code == 202, reponse.text

    async def tous_livres() -> bool:
        rows = [await recu(lecture, "employeur", e["id"]) for e in lot]
        return all(r is not None and r.statut == "livre" for r in rows)

    await attendre(tous_livres, "six événements livrés")
    for qui, pid in pids.items():
        assert await _fil(plateforme, pid) == attendus[qui]
    assert json.loads(reponse.text)["acceptes"] == 6
