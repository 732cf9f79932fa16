"""Every call to a partner's API is a span of the trace, child of its activity's: which
partner, which operation, which answer — and never the address called (it can hold a person's
identifier), the body sent or received, a credential, or the error's message."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.data_inclusion import ClientDataInclusion
from activities.http import ClientPartenaire
from activities.rdv_solidarites import ClientRdvSolidarites, IdentifiantsAgent
from core import traces
from core.partners import PartnerConfig
from web.journaux import caviarder as caviarder_le_journal

JETON = f"jeton-{secrets.token_urlsafe(16)}"
NUMERO = f"{secrets.randbelow(10**7):07d}"  # a person's CAF number, in the address called
NOM = f"Nom{secrets.token_hex(3).upper()}"
JETON_INVITATION = f"invitation-{secrets.token_urlsafe(16)}"


def _config(ident: str) -> PartnerConfig:
    return PartnerConfig(
        id=ident, nom=ident.upper(), source=None, secret=None, jeton=JETON, url=f"http://{ident}"
    )


@pytest.fixture
def exportateur() -> Iterator[InMemorySpanExporter]:
    memoire = InMemorySpanExporter()
    assert traces.installer("parcours-test", "", exportateur=memoire) is not None
    try:
        yield memoire
    finally:
        traces.desinstaller()


def _transport(statut: int, corps: dict[str, Any]) -> httpx.MockTransport:
    def repondre(requete: httpx.Request) -> httpx.Response:
        if statut == 0:
            raise httpx.ConnectError("refusé", request=requete)
        return httpx.Response(statut, json=corps)

    return httpx.MockTransport(repondre)


async def _dans_l_activite(type_: str, appel: Callable[[], Awaitable[Any]]) -> Any:
    """Under the activity's span, as temporalio's TracingInterceptor opens it."""
    environnement = ActivityEnvironment()
    environnement.info = dataclasses.replace(environnement.info, activity_type=type_)

    async def activite() -> Any:
        fournisseur = traces.installer("parcours-test", "")  # the fixture's, or None: no tracing
        if fournisseur is None:
            return await appel()
        with fournisseur.get_tracer("test").start_as_current_span(f"RunActivity:{type_}"):
            return await appel()

    return await environnement.run(activite)


def _appels(exportateur: InMemorySpanExporter) -> list[ReadableSpan]:
    return [s for s in exportateur.get_finished_spans() if s.name.startswith("Partenaire:")]


def _valeurs(span: ReadableSpan) -> str:
    valeurs = [
        span.name,
        span.status.description or "",
        *map(str, (span.attributes or {}).values()),
    ]
    for evenement in span.events:
        valeurs += [evenement.name, *map(str, (evenement.attributes or {}).values())]
    return " ".join(valeurs)


async def _caf(statut: int) -> None:
    corps = {"nom": NOM, "message": f"allocataire {NUMERO} ({NOM}) inconnu"}
    async with httpx.AsyncClient(timeout=60, transport=_transport(statut, corps)) as http:
        client = ClientPartenaire(_config("caf"), http)
        await _dans_l_activite(
            "caf.lire_droits_rsa",
            lambda: client.appeler("GET", f"/v1/allocataires/{NUMERO}/droits-rsa", json={"n": NOM}),
        )


async def test_un_appel_reussi_est_un_span_du_partenaire_sans_donnee_personnelle(
    exportateur: InMemorySpanExporter,
) -> None:
    await _caf(200)
    (appel,) = _appels(exportateur)
    (activite,) = [s for s in exportateur.get_finished_spans() if s.name.startswith("RunActivity")]
    assert appel.parent is not None
    assert appel.parent.span_id == activite.context.span_id
    assert appel.kind == SpanKind.CLIENT
    assert appel.name == "Partenaire:caf caf.lire_droits_rsa"
    assert dict(appel.attributes or {}) == {
        "parcours.partenaire": "caf",
        "parcours.operation": "caf.lire_droits_rsa",
        "http.request.method": "GET",
        "http.response.status_code": 200,
    }
    assert appel.status.status_code == StatusCode.UNSET
    for secret in (NUMERO, NOM, JETON, "allocataires"):
        assert secret not in _valeurs(appel)


@pytest.mark.parametrize(
    ("statut", "genre"),
    [(503, "PartenaireIndisponible"), (404, "RefusPartenaire"), (0, "PartenaireIndisponible")],
)
async def test_un_appel_en_echec_dit_son_statut_et_son_genre_jamais_le_message(
    exportateur: InMemorySpanExporter, statut: int, genre: str
) -> None:
    with pytest.raises(ApplicationError) as erreur:
        await _caf(statut)
    assert NOM in str(erreur.value) or statut == 0  # the message quotes the partner's answer
    (appel,) = _appels(exportateur)
    attributs = dict(appel.attributes or {})
    assert appel.status.status_code == StatusCode.ERROR
    assert attributs["error.type"] == genre
    assert attributs.get("http.response.status_code") == (statut or None)  # none: no answer
    assert not appel.events  # no recorded exception, whose message would quote the answer
    for secret in (NUMERO, NOM, JETON):
        assert secret not in _valeurs(appel)


async def test_les_clients_de_rdv_solidarites_et_de_data_inclusion_sont_traces(
    exportateur: InMemorySpanExporter,
) -> None:
    agent = IdentifiantsAgent(uid="agent@cd74.test", client="parcours", access_token=JETON)
    corps = {"invitation_token": JETON_INVITATION}
    async with httpx.AsyncClient(timeout=60, transport=_transport(200, corps)) as http:
        rdv = ClientRdvSolidarites(_config("rdv"), agent, http)
        assert (
            await _dans_l_activite("rdv.inviter", lambda: rdv.jeton_invitation(NUMERO))
            == JETON_INVITATION
        )
    async with httpx.AsyncClient(timeout=60, transport=_transport(503, {"detail": NOM})) as http:
        catalogue = ClientDataInclusion(_config("data-inclusion"), http)
        with pytest.raises(ApplicationError):
            await _dans_l_activite(
                "data_inclusion.synchroniser_page",
                lambda: catalogue.page("services", page=1, taille=10, code_departement="74"),
            )
    appels = {s.name: s for s in _appels(exportateur)}
    assert set(appels) == {
        "Partenaire:rdv rdv.inviter",
        "Partenaire:data-inclusion data_inclusion.synchroniser_page",
    }
    assert (appels["Partenaire:rdv rdv.inviter"].attributes or {})["http.request.method"] == "POST"
    catalogue_span = appels["Partenaire:data-inclusion data_inclusion.synchroniser_page"]
    assert (catalogue_span.attributes or {})["http.response.status_code"] == 503
    for span in appels.values():
        for secret in (NUMERO, NOM, JETON, JETON_INVITATION, "agent@cd74.test"):
            assert secret not in _valeurs(span)


async def test_sans_collecteur_un_appel_ne_trace_rien() -> None:
    assert not traces.actives()
    await _caf(200)  # no provider: the call goes as before, nothing is recorded anywhere


def test_les_adresses_des_spans_masquent_chaque_lien_secret_comme_le_journal() -> None:
    for lien in ("/carnet/", "/rdv/", "/orientation/", "/RDV%2F"):
        adresse = f"{lien}{JETON_INVITATION}/reponse?q={NOM}"
        assert traces.caviarder(adresse) == caviarder_le_journal(adresse), adresse
        assert JETON_INVITATION not in traces.caviarder(adresse)
        assert NOM not in traces.caviarder(adresse)
