"""What partner systems send: signed events, one or a batch; Immersion Facilitée's callbacks;
RDV-Solidarités' webhooks. Only the partner's signature (or secret) opens them: every account,
sending the same bytes without it, is refused. The events waiting to be attached to a parcours:
test_coordination.py."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable

import httpx

from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import evenement, numero_caf, signe, signe_lot
from tests.securite.matrice.commun import (
    Cas,
    Construire,
    Lignes,
    Requete,
    Route,
    ecarts,
    ligne,
)
from tests.securite.matrice.dossier import Contexte


def _evenement_partenaire(type_: str) -> Construire:
    """The partner signs its event; everyone else sends the same bytes with their credentials
    but without the partner's signature."""

    def construire(ctx: Contexte, role: str) -> Requete:
        p = ctx.plateforme
        ev = evenement(p, "caf", type_, numero_caf(), {"date_effet": ctx.jour.isoformat()})
        corps, entetes = signe(p, "caf", ev)
        if role != "partenaire":
            entetes = {"Content-Type": entetes["Content-Type"]}
        return Requete("POST", "/api/v1/partners/caf/events", content=corps, headers=entetes)

    return construire


def _lot_partenaire(*types: str) -> Construire:
    """The batched form: the partner signs the array once; everyone else sends the same bytes
    with their credentials but without the partner's signature."""

    def construire(ctx: Contexte, role: str) -> Requete:
        p = ctx.plateforme
        data = {"date_effet": ctx.jour.isoformat()}
        evs = [evenement(p, "caf", t, numero_caf(), data) for t in types]
        corps, entetes = signe_lot(p, "caf", evs)
        if role != "partenaire":
            entetes = {"Content-Type": entetes["Content-Type"]}
        return Requete("POST", "/api/v1/partners/caf/events", content=corps, headers=entetes)

    return construire


def _resultats(*statuts: str) -> Callable[[httpx.Response], bool]:
    """A batch's answer: one result per event, saying no more than a single answer would."""

    def controle(r: httpx.Response) -> bool:
        resultats = r.json()["resultats"]
        permis = {"id", "status", "matched", "code", "message", "erreurs"}
        return [x["status"] for x in resultats] == list(statuts) and all(
            set(x) <= permis for x in resultats
        )

    return controle


def _rappel_immersion_facilitee(ctx: Contexte, role: str) -> Requete:
    """Immersion Facilitée replays the « authorization » given at subscription; everyone else
    sends their own credentials. A convention of no one's company: nobody's data either way."""
    import json as json_
    from pathlib import Path

    from tests.partenaires.outils import partenaires

    chemin = (
        Path(__file__).parents[2] / "fixtures" / "immersion_facilitee" / "rappel_in_review.json"
    )
    rappel = json_.loads(chemin.read_text())
    rappel["payload"]["convention"]["id"] = f"matrice-{uuid.uuid4()}"
    entetes = {"Content-Type": "application/json"}
    if role == "partenaire":
        entetes["Authorization"] = str(partenaires(ctx.plateforme)["immersion"].secret)
    corps = json_.dumps(rappel).encode()
    return Requete(
        "POST", "/api/v1/partners/immersion-facilitee/rappels", content=corps, headers=entetes
    )


def _webhook_rdv_solidarites(ctx: Contexte, role: str) -> Requete:
    from tests.partenaires.test_rdv_solidarites import charge, corps_de, pour
    from tests.partenaires.test_rdv_solidarites import signe as signe_rdvs

    webhook = pour(charge("webhook_rdv_created.json"), secrets.randbelow(10**9), 4242)
    corps = corps_de(webhook)
    entetes = signe_rdvs(ctx.plateforme, corps)
    if role != "partenaire":
        entetes = {"Content-Type": entetes["Content-Type"]}
    chemin = "/api/v1/partners/rdv/rdv-solidarites/webhooks"
    return Requete("POST", chemin, content=corps, headers=entetes)


LIGNES: Lignes = {
    ("POST", "/api/v1/partners/{partner_id}/events"): [
        Cas(
            "événement signé",
            ligne("401 401 401 401 401 401 ok 401 401"),
            _evenement_partenaire("fr.caf.rsa.droits-ouverts"),
            ok=frozenset({202}),
        ),
        Cas(
            "type d'un autre partenaire",
            ligne("401 401 401 401 401 401 403 401 401"),
            _evenement_partenaire("fr.france-travail.demandeur.radie"),
        ),
        Cas(
            "lot signé",
            ligne("401 401 401 401 401 401 ok 401 401"),
            _lot_partenaire("fr.caf.rsa.droits-ouverts", "fr.caf.rsa.droits-ouverts"),
            ok=frozenset({202}),
            controle=_resultats("accepted", "accepted"),
        ),
        Cas(
            "lot avec un type d'un autre partenaire",
            ligne("401 401 401 401 401 401 ok 401 401"),
            _lot_partenaire("fr.caf.rsa.droits-ouverts", "fr.france-travail.demandeur.radie"),
            ok=frozenset({207}),
            controle=_resultats("accepted", "refused"),
        ),
    ],
    # --- connecteur Immersion Facilitée ---
    ("POST", "/api/v1/partners/immersion-facilitee/rappels"): [
        Cas(
            "rappel convention.updated",
            ligne("401 401 401 401 401 401 ok 401 401"),
            _rappel_immersion_facilitee,
        )
    ],
    # --- connecteur rdv-solidarites ---
    # Only RDV-Solidarités' X-Lapin-Signature opens the webhook: every account, session or token,
    # sending the same bytes without it, is refused (401) and nothing is recorded.
    ("POST", "/api/v1/partners/rdv/rdv-solidarites/webhooks"): [
        Cas("webhook signé", ligne("401 401 401 401 401 401 ok 401 401"), _webhook_rdv_solidarites)
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
