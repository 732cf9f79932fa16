"""When the département books in RDV-Solidarités (RDV_OUTIL_EXTERNE), an invitation sent to a
person registered in the tool carries the tool's booking link with their invitation token, as
RDV-Insertion sends it; the rdv they take there comes back by the tool's signed webhook,
answers the invitation, shows in the référent's agenda and the parcours, and its outcome feeds
the vigie. The token never enters the workflow's history. Without the setting, nothing changes."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from agendas import outil_externe
from core.settings import Settings
from schemas.evenements import CleSujet
from store.db import SessionFactory
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.partenaires.outils import routable
from tests.securite.traces import historique_en_clair

CLAIRE = "ref-claire-martin"
LIEN_OUTIL = re.compile(r"(https?://\S+/rdv/prendre_rdv\?\S+)")


@pytest.fixture
def outil_configure(monkeypatch: pytest.MonkeyPatch) -> None:
    """The web app of the session reads this setting when it completes an invitation."""
    reglages = Settings(
        RDV_OUTIL_EXTERNE="rdv-solidarites", RDV_SOLIDARITES_ORGANISATION_IDS="352,353"
    )
    monkeypatch.setattr(outil_externe, "reglages", lambda: reglages)


async def _attendre(quoi: Callable[[], Awaitable[Any]], message: str, delai_s: float = 30) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while not (trouve := await quoi()):
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.1)
    return trouve


def _telephone() -> str:
    n = secrets.randbelow(10**6)
    return f"06 {n // 10**4:02d} {n // 100 % 100:02d} {n % 100:02d} 13"


async def _etat(claire: httpx.AsyncClient, pid: str) -> dict[str, Any]:
    r = await claire.get(f"/api/v1/parcours/{pid}")
    assert r.status_code == 200, r.text
    etat: dict[str, Any] = r.json()["etat"]
    return etat


async def _parcours(
    claire: httpx.AsyncClient, *, inscrite: bool, lecture: SessionFactory | None = None
) -> tuple[str, str]:
    """A person of Claire's with a phone (and no e-mail: one message to read), registered in
    the tool by Claire's command when ``inscrite``; with ``lecture``, the tool's webhooks about
    her are routed to her parcours by the time this returns."""
    telephone = _telephone()
    nom = "Outil" + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
    corps = donnees.accueil(date.today(), nom=nom, telephone=telephone, email=None)
    r = await claire.post("/api/v1/parcours", json=corps)
    assert r.status_code in (200, 201), r.text
    pid: str = r.json()["id"]
    if inscrite:
        r = await claire.post(
            f"/api/v1/parcours/{pid}/inscrire-rdv-solidarites", json={"organisation_id": 352}
        )
        assert r.status_code == 200, r.text

        async def identifiant() -> str | None:
            valeur: str | None = (await _etat(claire, pid))["identifiants"].get("rdv_solidarites")
            return valeur

        usager = await _attendre(identifiant, "l'identifiant RDV-Solidarités")
        if lecture is not None:
            await routable(lecture, CleSujet.RDV_SOLIDARITES, usager, pid)
    return pid, telephone


async def _sms(simulateur: Simulateur, telephone: str) -> str:
    async def recu() -> str | None:
        textes = [m["texte"] for m in await simulateur.sms(telephone)]
        return next((t for t in textes if "prendre rendez-vous" in t), None)

    texte: str = await _attendre(recu, "le SMS d'invitation")
    return texte


async def test_invitation_par_le_lien_de_l_outil_puis_rdv_de_retour(
    plateforme: Plateforme, simulateur: Simulateur, outil_configure: None, lecture: SessionFactory
) -> None:
    async with plateforme.client(CLAIRE) as claire:
        pid, telephone = await _parcours(claire, inscrite=True, lecture=lecture)
        r = await claire.post(f"/api/v1/parcours/{pid}/inviter-rdv", json={"motif": "orientation"})
        assert r.status_code == 200, r.text

        texte = await _sms(simulateur, telephone)
        lien = LIEN_OUTIL.search(texte)
        assert lien is not None, texte
        url = urlsplit(lien.group(1))
        assert f"{url.scheme}://{url.netloc}" == simulateur.base_url
        params = parse_qs(url.query)
        assert params["departement"] == ["74"]
        assert params["organisation_ids[]"] == ["352", "353"]
        assert params["motif_category_short_name"] == ["rsa_orientation"]
        (jeton,) = params["invitation_token"]
        async with httpx.AsyncClient() as navigateur:
            page = await navigateur.get(lien.group(1))
        assert "Prendre rendez-vous" in page.text  # the tool's page opens with that token

        debut = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
        pris = await simulateur._appel(
            "POST",
            "/_simulateur/rdv-solidarites/reservations",
            json={"invitation_token": jeton, "starts_at": debut.isoformat()},
        )
        assert pris["statut_http"] == 200, pris
        assert pris["reponse"]["a_rapprocher"] == 0, pris
        rdv_id = f"rdvs-{pris['rdv_id']}"

        async def reservee() -> dict[str, Any] | None:
            etat = await _etat(claire, pid)
            (inv,) = etat["invitations"]
            return etat if inv["statut"] == "reservee" else None

        etat = await _attendre(reservee, "l'invitation répondue par le rdv de l'outil")
        (inv,) = etat["invitations"]
        assert inv["rdv_id"] == rdv_id
        assert inv["empreintes"] == []
        assert [r["statut"] for r in etat["rdvs"] if r["id"] == rdv_id] == ["prevu"]
        fil = {e["code"]: e["libelle"] for e in etat["timeline"]}
        assert "avec le lien de réservation de RDV-Solidarités" in fil["invitation_rdv"]
        assert "rendez-vous pris dans RDV-Solidarités" in fil["invitation_reservee_dans_l_outil"]

        async def dans_l_agenda() -> str | None:
            page = await claire.get("/agenda")
            return page.text if f'href="/parcours/{pid}"' in page.text else None

        agenda = await _attendre(dans_l_agenda, "le rdv de l'outil dans « Mon agenda »")
        assert "(RDV-Solidarités)" in agenda

        absente = {
            "usager_id": int(etat["identifiants"]["rdv_solidarites"]),
            "rdv_id": pris["rdv_id"],
            "starts_at": debut.isoformat(),
            "statut": "noshow",
            "event": "updated",
        }
        retour = await simulateur._appel("POST", "/_simulateur/rdv-solidarites/rdvs", json=absente)
        assert retour["statut_http"] == 200, retour

        async def non_honore() -> bool:
            rdvs = (await _etat(claire, pid))["rdvs"]
            return [r["statut"] for r in rdvs if r["id"] == rdv_id] == ["non_honore"]

        await _attendre(non_honore, "l'absence venue de l'outil")
    historique = await historique_en_clair(plateforme.env.client, pid)
    assert jeton not in historique


async def test_sans_inscription_le_lien_de_la_plateforme(
    plateforme: Plateforme, simulateur: Simulateur, outil_configure: None
) -> None:
    """Configured, but the person is not in the tool: the platform's own link, and the
    timeline says why."""
    async with plateforme.client(CLAIRE) as claire:
        pid, telephone = await _parcours(claire, inscrite=False)
        r = await claire.post(f"/api/v1/parcours/{pid}/inviter-rdv", json={"motif": "orientation"})
        assert r.status_code == 200, r.text
        texte = await _sms(simulateur, telephone)
        assert "/prendre_rdv" not in texte
        assert "/rdv/" in texte
        fil = {e["code"]: e["libelle"] for e in (await _etat(claire, pid))["timeline"]}
    assert "la personne n'est pas inscrite dans RDV-Solidarités" in fil["invitation_rdv"]


async def test_sans_outil_configure_rien_ne_change(
    plateforme: Plateforme, simulateur: Simulateur
) -> None:
    """The default: a registered person still gets the platform's link."""
    async with plateforme.client(CLAIRE) as claire:
        pid, telephone = await _parcours(claire, inscrite=True)
        r = await claire.post(f"/api/v1/parcours/{pid}/inviter-rdv", json={"motif": "orientation"})
        assert r.status_code == 200, r.text
        texte = await _sms(simulateur, telephone)
        fil = {e["code"]: e["libelle"] for e in (await _etat(claire, pid))["timeline"]}
    assert "/prendre_rdv" not in texte
    assert "/rdv/" in texte
    assert "RDV-Solidarités" not in fil["invitation_rdv"]
