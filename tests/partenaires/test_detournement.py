"""Nobody pulls another person's partner events into their parcours (issue 14, item 9).

The 202 says whether the event found a parcours, never which one; an identifier that another
open parcours carries is given to a parcours only by the coordination; an event of the
« à rapprocher » queue is attached only by who sees the queue, and a référent learns nothing
of an event id (the same refusal, known or not)."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from schemas.usager import IdentifiantsPartenaires
from store.audit import EntreeAudit
from store.db import SessionFactory
from tests import factories
from tests.factories import CLAIRE
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import envoyer, evenement, numero_caf, ouvrir, projete

COORD = "coord-bassin_annecien"
MOTIF = {"date": "2026-11-20", "motif": "Ressources"}


async def test_identifiant_d_un_autre_parcours(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    caf = numero_caf()
    autre = await ouvrir(plateforme, IdentifiantsPartenaires(caf=caf), auteur=factories.SOPHIE)
    mien = await ouvrir(plateforme, IdentifiantsPartenaires())
    for pid in (autre, mien):
        await projete(lecture, pid)
    chemin = f"/api/v1/parcours/{mien}/modifier-identifiants"
    async with plateforme.client(CLAIRE.id) as claire, plateforme.client(COORD) as coord:
        r = await claire.post(chemin, json={"caf": caf})
        assert r.status_code == 409, r.text
        assert r.json()["code"] == "identifiant_attribue"
        assert [e["champ"] for e in r.json()["erreurs"]] == ["caf"]
        assert autre not in r.text
        etat = (await claire.get(f"/api/v1/parcours/{mien}")).json()["etat"]
        assert etat["identifiants"]["caf"] is None

        r = await coord.post(chemin, json={"caf": caf})  # the coordination decides
        assert r.status_code == 200, r.text
    async with lecture() as session:
        q = select(EntreeAudit.detail).where(EntreeAudit.objet == f"parcours:{mien}")
        details = (await session.exec(q.order_by(col(EntreeAudit.id)))).all()
    assert f"modifier_identifiants ; caf déjà porté par {autre}" in details


async def test_un_referent_ne_rattache_pas_un_evenement_par_son_id(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    mien = await ouvrir(plateforme, IdentifiantsPartenaires())
    await projete(lecture, mien)
    ev = evenement(plateforme, "caf", "fr.caf.rsa.droits-suspendus", numero_caf(), MOTIF)
    accuse = await envoyer(plateforme, "caf", ev)
    assert accuse.json() == {"status": "accepted", "matched": False}

    async with plateforme.client(CLAIRE.id) as claire:
        corps = {"parcours_id": mien}
        connu = await claire.post(f"/api/v1/partners/caf/events/{ev['id']}/rattacher", json=corps)
        inconnu = await claire.post(
            f"/api/v1/partners/caf/events/{uuid.uuid4()}/rattacher", json=corps
        )
    assert connu.status_code == 403, connu.text
    # the same answer, but for « instance », the address each request was sent to
    assert (connu.status_code, sans_instance(connu.json())) == (
        inconnu.status_code,
        sans_instance(inconnu.json()),
    )


def sans_instance(probleme: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in probleme.items() if k != "instance"}
