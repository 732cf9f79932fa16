"""The accueil's duplicate check is not a way to learn who has a parcours (issue 14, item 4).

Exact comparison on the normalised identity and the partner identifiers (``%`` is a
character, not « everyone »); outside the caller's scope the answer names no parcours, only
the coordination to ask; each duplicate found is audited, and an account that finds too many
is stopped. The parcours list's search takes ``%`` and ``_`` literally as well.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from sqlmodel import col, select

from store.audit import EntreeAudit
from store.db import make_engine, session_factory
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from web.securite.limites import reglages

EMILIE = "ref-emilie-faure"  # Chablais
CHLOE = "ref-chloe-vidal"  # Genevois français; no other test opens parcours as her
NAISSANCE = "1979-03-14"


def _accueil(nom: str, prenom: str, territoire: str, **extra: Any) -> dict[str, Any]:
    corps = donnees.accueil(date.today(), nom=nom, prenom=prenom, date_naissance=NAISSANCE)
    return donnees.dans(corps, territoire) | extra


async def _audit(p: Plateforme, objet: str) -> list[EntreeAudit]:
    engine = make_engine(p.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            requete = select(EntreeAudit).where(
                EntreeAudit.objet == objet, EntreeAudit.action == "doublon"
            )
            return list((await session.exec(requete.order_by(col(EntreeAudit.id)))).all())
    finally:
        await engine.dispose()


async def test_doublon_exact_et_muet_hors_perimetre(plateforme: Plateforme) -> None:
    unique = secrets.token_hex(3).upper()
    chablais = _accueil(f"Saint-Éloi {unique}", "Anaïs", "chablais")
    async with (
        plateforme.client(EMILIE) as emilie,
        plateforme.client(CHLOE) as chloe,
        plateforme.client("admin") as admin,
    ):
        cree = await emilie.post("/api/v1/parcours", json=chablais)
        assert cree.status_code == 201, cree.text
        pid, reference = cree.json()["id"], cree.json()["reference"]

        # « % » is a character: no more « everyone born that day ».
        joker = await chloe.post("/api/v1/parcours", json=_accueil("%", "%", "genevois_francais"))
        assert joker.status_code == 201, joker.text

        # The same person typed otherwise, by someone outside the parcours' scope.
        autrement = _accueil(f"SAINT ELOI {unique.lower()}", "anais", "genevois_francais")
        r = await chloe.post("/api/v1/parcours", json=autrement)
        assert r.status_code == 409, r.text
        assert r.json()["code"] == "doublon"
        assert reference not in r.text
        assert pid not in r.text
        assert "hors de votre périmètre" in r.json()["message"]
        assert "Chablais" in r.json()["message"]
        assert "Hélène Bouvier" in r.json()["message"]

        # The same partner identifier under another name: the same person.
        meme_numero = _accueil(f"Autre {unique}", "Nom", "genevois_francais")
        meme_numero["identifiants"] = chablais["identifiants"]
        r = await chloe.post("/api/v1/parcours", json=meme_numero)
        assert r.status_code == 409, r.text
        assert reference not in r.text

        # Within one's scope, the reference is given.
        r = await emilie.post("/api/v1/parcours", json=donnees.dans(autrement, "chablais"))
        assert r.status_code == 409, r.text
        assert f"référence {reference}" in r.json()["message"]

        traces = await _audit(plateforme, f"parcours:{pid}")
        assert [(t.compte_id, t.detail) for t in traces] == [
            (CHLOE, "accueil : doublon signalé hors périmètre"),
            (CHLOE, "accueil : doublon signalé hors périmètre"),
            (EMILIE, "accueil : doublon signalé"),
        ]

        # The list's search: « _ » is not « any character » either.
        r = await admin.get("/api/v1/parcours", params={"q": "_", "limit": 500})
        assert r.status_code == 200
        for p in r.json()["items"]:
            assert "_" in f"{p['nom']}{p['prenom']}{p['reference']}", p

        # Probing is stopped: after the limit, every accueil of the account waits.
        for _ in range(reglages(plateforme.settings)["doublons"].maximum - 2):
            r = await chloe.post("/api/v1/parcours", json=autrement)
            assert r.status_code == 409, r.text
        nouveau = _accueil(f"Inconnu {unique}", "Personne", "genevois_francais")
        r = await chloe.post("/api/v1/parcours", json=nouveau)
        assert r.status_code == 429, r.text
        assert "Trop de doublons" in r.json()["message"]
        assert 0 < int(r.headers["retry-after"]) <= 3600
