"""Every answer of the partner event endpoint, over real HTTP; a refusal stores nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from store.db import SessionFactory
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import (
    TYPE_CE,
    entetes,
    envoyer,
    evenement,
    numero_caf,
    poster,
    recu,
    salarie,
    signe,
    traces_audit,
)
from web.partenaires.corps import TAILLE_MAX

ROMPU = "fr.employeur.contrat.rompu"
MOTIF = {"date": "2026-11-20", "motif": "Fin de contrat à l'initiative du salarié"}


def _rompu(p: Plateforme, **kw: Any) -> dict[str, Any]:
    return evenement(p, "employeur", ROMPU, salarie(), MOTIF, **kw)


async def _refuse(
    lecture: SessionFactory, reponse: Any, status: int, code: str, partenaire: str, id_: str
) -> dict[str, Any]:
    assert reponse.status_code == status, reponse.text
    corps: dict[str, Any] = reponse.json()
    assert corps["code"] == code
    assert corps["message"]  # French, for people
    assert await recu(lecture, partenaire, id_) is None
    assert await traces_audit(lecture, partenaire, id_) == 0
    return corps


async def test_accepte_puis_doublon(plateforme: Plateforme, lecture: SessionFactory) -> None:
    ev = _rompu(plateforme)
    corps, headers = signe(plateforme, "employeur", ev)
    headers["Content-Type"] = f"{TYPE_CE}; charset=utf-8"
    premiere = await poster(plateforme, "employeur", corps, headers)
    assert premiere.status_code == 202, premiere.text
    assert premiere.json() == {"status": "accepted", "matched": False}  # nobody has it
    row = await recu(lecture, "employeur", ev["id"])
    assert row is not None
    assert row.statut == "a_rapprocher"
    assert row.source == ev["source"]
    assert await traces_audit(lecture, "employeur", ev["id"]) == 1

    seconde = await envoyer(plateforme, "employeur", ev)  # signed again, a minute later say
    assert seconde.status_code == 202
    assert seconde.json() == {"status": "duplicate", "matched": False}
    assert (await recu(lecture, "employeur", ev["id"])) == row


async def test_partenaire_inconnu(plateforme: Plateforme, lecture: SessionFactory) -> None:
    ev = _rompu(plateforme)
    corps, headers = signe(plateforme, "employeur", ev)
    for inconnu in ("pole-emploi", "sms"):  # unknown, and known but sends no events
        reponse = await poster(plateforme, inconnu, corps, headers)
        await _refuse(lecture, reponse, 401, "partenaire_inconnu", inconnu, ev["id"])


async def test_signature_absente_ou_fausse(plateforme: Plateforme, lecture: SessionFactory) -> None:
    ev = _rompu(plateforme)
    corps, headers = signe(plateforme, "employeur", ev)
    sans = {"Content-Type": TYPE_CE}
    reponse = await poster(plateforme, "employeur", corps, sans)
    await _refuse(lecture, reponse, 401, "signature_absente", "employeur", ev["id"])

    _, de_la_caf = signe(plateforme, "caf", ev)  # right format, wrong secret
    reponse = await poster(plateforme, "employeur", corps, de_la_caf)
    corps_refus = await _refuse(lecture, reponse, 401, "signature_invalide", "employeur", ev["id"])
    assert "HMAC-SHA256" in corps_refus["message"]

    modifie = corps.replace(b"Fin de contrat", b"Fin de mission")  # body changed after signing
    reponse = await poster(plateforme, "employeur", modifie, headers)
    await _refuse(lecture, reponse, 401, "signature_invalide", "employeur", ev["id"])


async def test_plusieurs_signatures_dont_une_bonne(plateforme: Plateforme) -> None:
    """Key rotation: the header may carry several signatures, one valid is enough."""
    ev = _rompu(plateforme)
    corps, headers = signe(plateforme, "employeur", ev)
    _, autre = signe(plateforme, "caf", ev)
    headers["webhook-signature"] = (
        f"v1a,xyz {autre['webhook-signature']} {headers['webhook-signature']}"
    )
    reponse = await poster(plateforme, "employeur", corps, headers)
    assert reponse.status_code == 202, reponse.text


async def test_horodatage_perime(plateforme: Plateforme, lecture: SessionFactory) -> None:
    ev = _rompu(plateforme)
    ancien = datetime.now(UTC) - timedelta(minutes=6)
    corps, headers = signe(plateforme, "employeur", ev, horodatage=ancien)
    reponse = await poster(plateforme, "employeur", corps, headers)
    await _refuse(lecture, reponse, 401, "horodatage_perime", "employeur", ev["id"])


async def test_json_malforme(plateforme: Plateforme, lecture: SessionFactory) -> None:
    ev = _rompu(plateforme)
    tronque = signe(plateforme, "employeur", ev)[0][:-10]
    headers = entetes(plateforme, "employeur", ev["id"], tronque)
    reponse = await poster(plateforme, "employeur", tronque, headers)
    await _refuse(lecture, reponse, 400, "json_invalide", "employeur", ev["id"])


async def test_type_de_contenu(plateforme: Plateforme, lecture: SessionFactory) -> None:
    ev = _rompu(plateforme)
    corps, headers = signe(plateforme, "employeur", ev)
    for autre in ("application/json", f"{TYPE_CE}; charset=latin-1", ""):
        reponse = await poster(plateforme, "employeur", corps, {**headers, "Content-Type": autre})
        await _refuse(lecture, reponse, 415, "type_contenu", "employeur", ev["id"])


async def test_corps_trop_gros(plateforme: Plateforme, lecture: SessionFactory) -> None:
    ev = evenement(plateforme, "employeur", ROMPU, salarie(), {**MOTIF, "note": "x" * TAILLE_MAX})
    corps, headers = signe(plateforme, "employeur", ev)
    reponse = await poster(plateforme, "employeur", corps, headers)  # Content-Length announced
    await _refuse(lecture, reponse, 413, "trop_gros", "employeur", ev["id"])

    async def morceaux() -> AsyncIterator[bytes]:  # chunked: no length announced
        for i in range(0, len(corps), 65536):
            yield corps[i : i + 65536]

    reponse = await poster(plateforme, "employeur", morceaux(), headers)
    await _refuse(lecture, reponse, 413, "trop_gros", "employeur", ev["id"])


async def test_champ_invalide(plateforme: Plateforme, lecture: SessionFactory) -> None:
    ev = evenement(plateforme, "employeur", ROMPU, salarie(), {"date": "hier"})
    reponse = await envoyer(plateforme, "employeur", ev)
    corps = await _refuse(lecture, reponse, 422, "donnees_invalides", "employeur", ev["id"])
    assert {e["champ"] for e in corps["erreurs"]} == {"data.date", "data.motif"}

    ev = _rompu(plateforme)
    ev["time"] = "2026-11-20T09:30:00"  # no zone
    del ev["specversion"]
    reponse = await envoyer(plateforme, "employeur", ev)
    corps = await _refuse(lecture, reponse, 422, "donnees_invalides", "employeur", ev["id"])
    champs = {e["champ"]: e["message"] for e in corps["erreurs"]}
    assert set(champs) == {"time", "specversion"}
    assert "fuseau" in champs["time"]

    ev = evenement(plateforme, "caf", "fr.caf.rsa.droits-clos", "12AB", MOTIF)
    reponse = await envoyer(plateforme, "caf", ev)
    corps = await _refuse(lecture, reponse, 422, "donnees_invalides", "caf", ev["id"])
    assert corps["erreurs"][0]["champ"] == "subject"

    ev = _rompu(plateforme)
    ev["source"] = "urn:spie74:partner:caf"
    reponse = await envoyer(plateforme, "employeur", ev)
    corps = await _refuse(lecture, reponse, 422, "source_invalide", "employeur", ev["id"])
    assert corps["erreurs"] == [
        {
            "champ": "source",
            "message": "attendu « urn:spie74:partner:employeur » pour ce partenaire",
        }
    ]


async def test_type_inconnu(plateforme: Plateforme, lecture: SessionFactory) -> None:
    ev = evenement(plateforme, "employeur", "fr.employeur.contrat.renouvele", salarie(), MOTIF)
    reponse = await envoyer(plateforme, "employeur", ev)
    corps = await _refuse(lecture, reponse, 422, "type_inconnu", "employeur", ev["id"])
    assert ROMPU in corps["message"]
    assert "fr.caf.rsa.droits-ouverts" in corps["message"]
    assert corps["erreurs"][0]["champ"] == "type"


async def test_type_d_un_autre_partenaire(plateforme: Plateforme, lecture: SessionFactory) -> None:
    ev = evenement(plateforme, "caf", ROMPU, salarie(), MOTIF)
    reponse = await envoyer(plateforme, "caf", ev)
    corps = await _refuse(lecture, reponse, 403, "type_interdit", "caf", ev["id"])
    assert "Employeurs" in corps["message"]


async def test_webhook_id_different_de_l_id(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    ev = _rompu(plateforme)
    corps = json.dumps({**ev, "id": "autre-id"}).encode()
    headers = entetes(plateforme, "employeur", ev["id"], corps)
    reponse = await poster(plateforme, "employeur", corps, headers)
    await _refuse(lecture, reponse, 422, "identifiant_incoherent", "employeur", "autre-id")


@pytest.mark.timeout(60)
async def test_trop_d_evenements(plateforme: Plateforme) -> None:
    """Past 600 events a minute, a partner is asked to wait (Retry-After)."""
    maximum = plateforme.settings.partner_rate_limit_per_minute
    ev = evenement(plateforme, "siae", "fr.siae.inconnu", "999990000001", {})
    corps, headers = signe(plateforme, "siae", ev)
    async with plateforme.client() as client:
        for _ in range(maximum):
            r = await client.post("/api/v1/partners/siae/events", content=corps, headers=headers)
            assert r.status_code == 422
        r = await client.post("/api/v1/partners/siae/events", content=corps, headers=headers)
    assert r.status_code == 429, r.text
    assert r.json()["code"] == "trop_de_requetes"
    assert int(r.headers["retry-after"]) >= 1


async def test_caf_numero_valide_accepte(plateforme: Plateforme) -> None:
    ev = evenement(
        plateforme, "caf", "fr.caf.rsa.droits-ouverts", numero_caf(), {"date_effet": "2026-11-01"}
    )
    reponse = await envoyer(plateforme, "caf", ev)
    assert reponse.status_code == 202, reponse.text


async def test_doublons_simultanes(plateforme: Plateforme, lecture: SessionFactory) -> None:
    """A partner's retry racing its first attempt: one acceptance, the others duplicates."""
    ev = _rompu(plateforme)
    corps, headers = signe(plateforme, "employeur", ev)
    reponses = await asyncio.gather(
        *(poster(plateforme, "employeur", corps, headers) for _ in range(6))
    )
    statuts = sorted(r.json()["status"] for r in reponses)
    assert statuts == ["accepted"] + ["duplicate"] * 5
    assert await traces_audit(lecture, "employeur", ev["id"]) == 6
