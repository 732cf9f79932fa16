"""Schemathesis against the application's own OpenAPI schema, over real HTTP: every operation,
with data that fits the schema and data that does not, as a référent and as an administrator
(and, for the partner event API, signed like a partner). No answer may be a server error (5xx)
or a status code the operation does not document.

Bounded: a few examples per operation, account and mode. Failures are collected (not shrunk),
so a run that finds one still ends quickly and lists them all, each with a curl to replay.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from datetime import date
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error, status_code_conformance
from schemathesis.core.result import Err

from partenaires.signature import signer
from schemas.evenements import CATALOGUE
from schemas.incident import Partenaire
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import partenaires

COMPTES = ("ref-claire-martin", "admin")
EXEMPLES = 6  # per operation × account × mode: about 1300 requests in all
EVENEMENTS = "/api/v1/partners/{partner_id}/events"
CHECKS = [not_a_server_error, status_code_conformance]


TYPES_CAF = sorted(n for n, t in CATALOGUE.items() if t.partenaire == Partenaire.CAF)


def _corps(kw: dict[str, Any], n: int) -> tuple[bytes, str]:
    """The bytes to send and their webhook id. Half the events name a real CAF type, all
    name the CAF as their source, so that generated data reaches the deeper checks."""
    id_ = f"fuzz-{time.monotonic_ns()}"
    if "json" in kw:
        ev = kw.pop("json")
        if isinstance(ev, dict):
            ev["source"] = "urn:spie74:partner:caf"
            if n % 2:
                ev["type"] = TYPES_CAF[n % len(TYPES_CAF)]
            if isinstance(ev.get("id"), str) and ev["id"].isascii() and ev["id"].isprintable():
                id_ = ev["id"]
        return json.dumps(ev, ensure_ascii=False).encode(), id_
    contenu = kw.pop("data", None) or kw.pop("content", None) or b""
    return (contenu if isinstance(contenu, bytes) else str(contenu).encode()), id_


class Exploration:
    def __init__(self, plateforme: Plateforme) -> None:
        self.p = plateforme
        self.echecs: list[str] = []
        self.appels: Counter[str] = Counter()
        self.http = httpx.Client(timeout=30)

    def appeler(self, case: Case, compte: str) -> None:
        self.appels[case.operation.label] += 1
        try:
            if case.operation.path == EVENEMENTS:
                self._evenement_signe(case)
            else:
                headers = {"Authorization": f"Bearer {self.p.jetons[compte]}"}
                case.call_and_validate(
                    base_url=self.p.base_url, headers=headers, checks=CHECKS, timeout=30
                )
        except Exception as err:  # a failed check: kept with its curl, the run goes on
            self.echecs.append(f"{case.operation.label} ({compte}) : {err}")

    def _evenement_signe(self, case: Case) -> None:
        """A partner signs exactly the bytes it sends: sign what Schemathesis generated."""
        kw = case.as_transport_kwargs(base_url=self.p.base_url)
        corps, id_ = _corps(kw, self.appels[case.operation.label])
        horodatage = str(int(time.time()))
        secret = partenaires(self.p)["caf"].secret
        assert secret is not None
        headers = {
            **kw["headers"],
            "webhook-id": id_,
            "webhook-timestamp": horodatage,
            "webhook-signature": signer(secret, id_, horodatage, corps),
        }
        reponse = self.http.request(
            kw["method"], kw["url"], params=kw.get("params"), content=corps, headers=headers
        )
        case.validate_response(reponse, checks=CHECKS)

    def explorer(self, pid: str) -> None:
        schema = schemathesis.openapi.from_url(f"{self.p.base_url}/openapi.json")
        for resultat in schema.get_all_operations():
            if isinstance(resultat, Err):
                self.echecs.append(f"Opération illisible dans le schéma : {resultat.err()}")
                continue
            operation = resultat.ok()
            fixes: dict[str, Any] = {}
            if "{parcours_id}" in operation.path:
                fixes["parcours_id"] = pid  # a real parcours, so commands reach the workflow
            if operation.path.startswith("/api/v1/partners/{partner_id}"):
                fixes["partner_id"] = "caf"
            for compte in COMPTES:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    self._lancer(operation, compte, mode, fixes)

    def _lancer(
        self, operation: Any, compte: str, mode: GenerationMode, fixes: dict[str, Any]
    ) -> None:
        @settings(
            max_examples=EXEMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixes or None))
        def essai(case: Case) -> None:
            self.appeler(case, compte)

        with contextlib.suppress(Unsatisfiable):  # nothing to make invalid: no parameters
            essai()


# ~1,300 requests each through the whole stack: on a loaded 2-core machine the suite's
# 5-minute bound was reached (a bound against a hang, not a speed goal)
@pytest.mark.timeout(1200)
async def test_schemathesis_ni_erreur_serveur_ni_code_non_documente(
    plateforme_a_part: Plateforme,
) -> None:
    # A platform of its own: ~1,300 random requests from every role change what they reach
    # (the rights matrix's SMS incident retried and gone, in a random-order run)
    plateforme = plateforme_a_part
    async with plateforme.client("ref-claire-martin") as claire:
        cree = await claire.post(
            "/api/v1/parcours", json=donnees.accueil(date.today(), nom="Schemathesis")
        )
        assert cree.status_code == 201, cree.text
        openapi = (await claire.get("/openapi.json")).json()
    exploration = Exploration(plateforme)
    await asyncio.to_thread(exploration.explorer, cree.json()["id"])
    exploration.http.close()

    operations = {f"{m.upper()} {chemin}" for chemin, ops in openapi["paths"].items() for m in ops}
    assert len(operations) > 50
    assert set(exploration.appels) == operations, "Opérations jamais essayées"
    assert not exploration.echecs, "\n\n".join(exploration.echecs)
