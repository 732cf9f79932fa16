"""The directory through the API, as a chargé de relation entreprise uses it: a company from
its SIRET, its contact, the label of their own territory only; refused to référents; a
mistyped SIRET named in a 422; every read and write in the audit log."""

from __future__ import annotations

from sqlmodel import col, select

from store.audit import EntreeAudit
from store.db import make_engine, session_factory
from tests.administration.outils import un_siret
from tests.employeurs.comptes import charge_entreprise
from tests.fixtures.plateforme import Plateforme


async def _audit(plateforme: Plateforme, objet: str) -> list[tuple[str, str, str]]:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            rows = await session.exec(
                select(EntreeAudit).where(EntreeAudit.objet == objet).order_by(col(EntreeAudit.id))
            )
            return [(e.compte_id, e.action, e.detail) for e in rows.all()]
    finally:
        await engine.dispose()


async def test_une_entreprise_du_chablais_et_son_label(plateforme: Plateforme) -> None:
    chablais = await charge_entreprise(plateforme, "chablais")
    annecien = await charge_entreprise(plateforme, "bassin_annecien")
    siret = un_siret()
    saisie = {
        "siret": siret,
        "nom": "Ehpad du Lac",
        "code_postal": "74200",
        "commune": "THONON LES BAINS",
    }
    async with (
        plateforme.client(chablais) as cre,
        plateforme.client(annecien) as cre_annecy,
        plateforme.client("ref-claire-martin") as referente,
    ):
        r = await cre.post("/api/v1/entreprises", json=saisie)
        assert r.status_code == 201, r.text
        assert (r.json()["commune"], r.json()["bassin_libelle"]) == ("Thonon-les-Bains", "Chablais")
        assert (await cre.post("/api/v1/entreprises", json=saisie)).status_code == 409

        refus = await cre_annecy.put(f"/api/v1/entreprises/{siret}/label", json={"inclusif": True})
        assert refus.status_code == 403, refus.text
        r = await cre.put(f"/api/v1/entreprises/{siret}/label", json={"inclusif": True})
        assert r.status_code == 200, r.text
        assert r.json()["inclusif"] is True
        assert r.json()["label_inclusif_par"] == "Chargée entreprises chablais"
        assert r.json()["label_inclusif_le"] is not None

        contact = {"nom": "Mme Perrin", "fonction": "DRH", "telephone": "04 50 71 00 00"}
        r = await cre.post(f"/api/v1/entreprises/{siret}/contacts", json=contact)
        assert r.status_code == 201, r.text
        fiche = (await cre_annecy.get(f"/api/v1/entreprises/{siret}")).json()
        assert [c["nom"] for c in fiche["contacts"]] == ["Mme Perrin"]
        inclusifs = (await cre.get("/api/v1/entreprises", params={"inclusifs": "true"})).json()
        assert siret in [e["siret"] for e in inclusifs]

        for requete in (
            referente.get("/api/v1/entreprises"),
            referente.get(f"/api/v1/entreprises/{siret}"),
            referente.post("/api/v1/entreprises", json=saisie | {"siret": un_siret()}),
        ):
            assert (await requete).status_code == 403
    assert await _audit(plateforme, f"entreprise:{siret}") == [
        (chablais, "ecriture", "création"),
        (chablais, "ecriture", "label accordé"),
        (chablais, "ecriture", "contact"),
        (annecien, "lecture", "fiche"),
    ]


async def test_siret_mal_tape(plateforme: Plateforme) -> None:
    cre = await charge_entreprise(plateforme, "vallee_arve")
    async with plateforme.client(cre) as client:
        r = await client.post("/api/v1/entreprises", json={"siret": "12345678901234", "nom": "X"})
        assert r.status_code == 422, r.text
        (erreur,) = r.json()["erreurs"]
        assert erreur["champ"] == "siret"
        assert "SIRET invalide" in erreur["message"]
        assert (await client.get("/api/v1/entreprises/12345678901234")).status_code == 404
