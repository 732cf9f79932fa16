"""The invitation's message whose link is RDV-Solidarités' booking page: the person's invitation
token asked on the tool's contract (recorded answer; 401, 404, 422, 429 with Retry-After, 5xx),
put in the link RDV-Insertion builds, and sent; the token never comes back to the workflow nor
into the outbox, and nothing is sent when the tool refuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.http import ClientPartenaire
from activities.messagerie import Messagerie
from activities.outbox import Outbox
from activities.rdv_solidarites import (
    ClientRdvSolidarites,
    Envois,
    IdentifiantsAgent,
    RdvSolidaritesActivities,
    lien_de_reservation,
)
from core.partners import PartnerConfig, load_partners
from core.settings import Settings
from core.smtp import ServeurSmtp
from schemas.appels import MARQUE_LIEN, AppelPartenaire, Courriel, InvitationRdvSolidarites, Sms
from schemas.incident import TypeOperation
from schemas.invitation import OutilDeReservation
from schemas.rdv_solidarites import UsagerRdvSolidarites
from simulator.app import create_app
from simulator.store import Store
from store.db import SessionFactory

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rdv_solidarites"
JETON = json.loads((FIXTURES / "api_rdv_invitation_token_200.json").read_text())["invitation_token"]
RDV = PartnerConfig(
    id="rdv", nom="RDV-Solidarités", source=None, secret=None, jeton="jeton", url="https://rdv.test"
)
SMS = PartnerConfig(
    id="sms", nom="SMS", source=None, secret=None, jeton="cle-sms", url="https://sms.test"
)
AGENT = IdentifiantsAgent(uid="agent@cd74.test", client="parcours", access_token="jeton")
OUTIL = OutilDeReservation(
    departement="74", organisation_ids=[352, 353], categorie="rsa_orientation"
)
TEXTE = f"Bonjour Nadia, votre référent vous invite à prendre rendez-vous : {MARQUE_LIEN}"
Repondeur = Callable[[httpx.Request], httpx.Response]


class OutboxEnMemoire(Outbox):
    def __init__(self, deja: bool = False) -> None:
        super().__init__(cast("SessionFactory", None))
        self.deja = deja
        self.notes: list[tuple[Any, ...]] = []

    async def deja_envoye(self, idempotence: str) -> bool:
        return self.deja

    async def noter(self, *args: Any, **kwargs: Any) -> None:
        self.notes.append((*args, *kwargs.values()))


class MessagerieNotee(Messagerie):
    def __init__(self, outbox: Outbox) -> None:
        super().__init__(
            cast("SessionFactory", None),
            outbox,
            serveur=ServeurSmtp("", 0),
            expediteur="x",
        )
        self.courriels: list[Courriel] = []

    async def envoyer(self, appel: AppelPartenaire) -> dict[str, Any]:
        self.courriels.append(Courriel.model_validate(appel.donnees))
        return {"statut": "envoye", "destinataires": 1}


def appel(*, courriel: bool = False) -> AppelPartenaire:
    message = InvitationRdvSolidarites(
        invitation_id="p-inv-1",
        rdv_solidarites_id="731204",
        outil=OUTIL,
        sms=None if courriel else Sms(telephone="06 12 34 56 78", texte=TEXTE),
        courriel=Courriel(destinataire="nadia@example.org", sujet="Prenez", texte=TEXTE)
        if courriel
        else None,
    )
    return AppelPartenaire(
        idempotence="p-op-7",
        parcours_id="p",
        operation=TypeOperation.INVITER_DANS_RDV_SOLIDARITES,
        donnees=message.model_dump(mode="json"),
    )


async def envoyer(
    repondeur: Repondeur, a: AppelPartenaire, outbox: OutboxEnMemoire | None = None
) -> tuple[dict[str, Any], list[httpx.Request], OutboxEnMemoire, MessagerieNotee]:
    requetes: list[httpx.Request] = []
    outbox = outbox or OutboxEnMemoire()
    messagerie = MessagerieNotee(outbox)

    def transport(request: httpx.Request) -> httpx.Response:
        requetes.append(request)
        return repondeur(request)

    async with httpx.AsyncClient(timeout=60, transport=httpx.MockTransport(transport)) as http:
        envois = Envois(ClientPartenaire(SMS, http), messagerie, outbox)
        activites = RdvSolidaritesActivities(ClientRdvSolidarites(RDV, AGENT, http), envois)
        resultat = await ActivityEnvironment().run(activites.envoyer_invitation, a)
    return resultat, requetes, outbox, messagerie


def outil_puis_sms(jeton: httpx.Response) -> Repondeur:
    def repondeur(request: httpx.Request) -> httpx.Response:
        if request.url.host == "rdv.test":
            return jeton
        return httpx.Response(200, json={"id": "msg-1", "statut": "accepte"})

    return repondeur


def enregistre(nom: str, statut: int = 200) -> httpx.Response:
    return httpx.Response(statut, content=(FIXTURES / nom).read_bytes())


def lien_du(texte: str) -> str:
    debut = texte.index("https://rdv.test/")
    return texte[debut:].split()[0]


async def test_le_sms_porte_le_lien_de_l_outil_avec_le_jeton() -> None:
    jeton = enregistre("api_rdv_invitation_token_200.json")
    resultat, requetes, outbox, _ = await envoyer(outil_puis_sms(jeton), appel())
    demande, sms = requetes
    assert (demande.method, demande.url.path) == (
        "POST",
        "/api/v1/users/731204/rdv_invitation_token",
    )
    assert demande.headers["access-token"] == "jeton"
    assert sms.url.host == "sms.test"
    assert sms.headers["Idempotency-Key"] == "p-op-7"
    texte = json.loads(sms.content)["texte"]
    url = urlsplit(lien_du(texte))
    assert (url.path, parse_qs(url.query)) == (
        "/prendre_rdv",
        {
            "departement": ["74"],
            "invitation_token": [JETON],
            "organisation_ids[]": ["352", "353"],
            "motif_category_short_name": ["rsa_orientation"],
        },
    )
    assert resultat == {"statut": "envoye"}  # no token, no fingerprint for the workflow
    assert JETON not in repr(outbox.notes)


async def test_le_courriel_porte_le_meme_lien() -> None:
    jeton = enregistre("api_rdv_invitation_token_200.json")
    resultat, _, _, messagerie = await envoyer(outil_puis_sms(jeton), appel(courriel=True))
    (courriel,) = messagerie.courriels
    assert f"invitation_token={JETON}" in courriel.texte
    assert MARQUE_LIEN not in courriel.texte
    assert courriel.carnet is None
    assert JETON not in json.dumps(resultat)


async def test_deja_envoye_rien_n_est_redemande() -> None:
    jeton = enregistre("api_rdv_invitation_token_200.json")
    resultat, requetes, _, _ = await envoyer(
        outil_puis_sms(jeton), appel(), OutboxEnMemoire(deja=True)
    )
    assert resultat == {"statut": "deja_envoye"}
    assert requetes == []


@pytest.mark.parametrize(
    ("reponse", "reessaye", "message"),
    [
        (lambda: enregistre("api_401.json", 401), False, "PARTNER_RDV_TOKEN"),
        (lambda: httpx.Response(404), False, "refuse la demande (404)"),
        (lambda: enregistre("api_422_record_invalid.json", 422), False, "last_name doit être"),
        (lambda: httpx.Response(503, text="<html>Service Unavailable</html>"), True, "(503)"),
        (lambda: httpx.Response(200, json={}), True, "sans « invitation_token »"),
    ],
)
async def test_l_outil_refuse_rien_n_est_envoye(
    reponse: Callable[[], httpx.Response], reessaye: bool, message: str
) -> None:
    with pytest.raises(ApplicationError) as erreur:
        await envoyer(outil_puis_sms(reponse()), appel())
    assert erreur.value.non_retryable is (not reessaye)
    assert message in erreur.value.message


async def test_429_attend_retry_after_sans_envoyer() -> None:
    requetes: list[httpx.Request] = []

    def repondeur(request: httpx.Request) -> httpx.Response:
        requetes.append(request)
        return httpx.Response(429, text="Retry later\n", headers={"Retry-After": "37"})

    with pytest.raises(ApplicationError) as erreur:
        await envoyer(repondeur, appel())
    assert not erreur.value.non_retryable
    assert erreur.value.next_retry_delay == timedelta(seconds=37)
    assert [r.url.host for r in requetes] == ["rdv.test"]


async def test_le_simulateur_joue_le_jeton_et_la_page_de_reservation(tmp_path: Path) -> None:
    """Same token for the same person (the tool's « create or retrieve »), and its booking page
    opens with it only."""
    settings = Settings()
    app = create_app(settings, Store(tmp_path / "simulateur.json"))
    config = load_partners(settings.partners_file, "http://simulateur")["rdv"]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        timeout=60, transport=transport, base_url="http://simulateur"
    ) as http:
        client = ClientRdvSolidarites(config, IdentifiantsAgent.depuis(config, {}), http)
        env = ActivityEnvironment()
        nadia = UsagerRdvSolidarites(organisation_ids=[352], first_name="Nadia", last_name="B")
        usager = await env.run(client.creer_usager, nadia)
        premier = await env.run(client.jeton_invitation, usager)
        assert await env.run(client.jeton_invitation, usager) == premier
        lien = lien_de_reservation(config.url, OUTIL, premier)
        assert "Prendre rendez-vous" in (await http.get(lien)).text
        faux = lien_de_reservation(config.url, OUTIL, "pas-le-bon")
        assert "n'est pas valide" in (await http.get(faux)).text
