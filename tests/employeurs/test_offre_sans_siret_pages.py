"""An offer of France Travail without SIRET in the cockpit: shown under the name France Travail
gave, « Entreprise non identifiée »; the chargé de relation entreprise attaches it to a company
of the directory (a refusal says so under the field and changes nothing), through the page or
the API."""

from __future__ import annotations

import secrets

from employeurs.annuaire import maintenant
from store.db import make_engine, session_factory
from store.employeurs import OffreRow
from tests.administration.outils import un_siret
from tests.employeurs.comptes import charge_entreprise
from tests.employeurs.test_pages_cockpit import lu
from tests.fixtures.plateforme import Plateforme


async def _offre_sans_siret(plateforme: Plateforme, nom: str) -> str:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            reference = secrets.token_hex(4).upper()
            row = OffreRow(
                id=f"ft-{reference}", reference_externe=reference, source="france_travail",
                statut="ouverte", cree_par="france_travail", cree_le=maintenant(),
                mis_a_jour=maintenant(), siret=None, entreprise_nom=nom,
                intitule="Assistant de vie aux familles", code_rome="K1302", code_postal="74000",
                commune="Annecy", bassin="bassin_annecien", type_contrat="cdd",
            )  # fmt: skip
            session.add(row)
            await session.commit()
            return row.id
    finally:
        await engine.dispose()


async def test_rattacher_une_offre_sans_siret(plateforme: Plateforme) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    nom = "AIDE ET DOMICILE " + secrets.token_hex(3).upper()
    offre_id = await _offre_sans_siret(plateforme, nom)
    async with plateforme.client(cre_id) as cre:
        liste = lu(await cre.get("/offres"))
        assert nom in liste
        assert "Entreprise non identifiée" in liste
        page = lu(await cre.get(f"/offres/{offre_id}"))
        assert 'id="non-identifiee"' in page
        assert 'id="form-rattacher"' in page

        inconnue = un_siret()  # a valid SIRET the directory does not hold
        r = await cre.post(f"/offres/{offre_id}/entreprise", data={"siret": inconnue})
        assert r.status_code == 422
        assert 'id="siret-erreur"' in r.text
        assert "Entreprise absente de l'annuaire" in lu(r)
        r = await cre.post(f"/offres/{offre_id}/entreprise", data={"siret": "123"})
        assert r.status_code == 422
        assert 'id="siret-erreur"' in r.text
        assert (await cre.get(f"/api/v1/offres/{offre_id}")).json()["siret"] is None

        siret = un_siret()
        entreprise = {"siret": siret, "nom": "Aide et Domicile", "code_postal": "74000"}
        r = await cre.post("/api/v1/entreprises", json=entreprise | {"commune": "Annecy"})
        assert r.status_code == 201, r.text
        r = await cre.post(f"/offres/{offre_id}/entreprise", data={"siret": siret})
        assert r.status_code == 303
        page = lu(await cre.get(f"/offres/{offre_id}"))
        assert f'href="/entreprises/{siret}"' in page
        assert 'id="form-rattacher"' not in page
        vue = (await cre.get(f"/api/v1/offres/{offre_id}")).json()
        assert (vue["siret"], vue["entreprise"], vue["entreprise_identifiee"]) == (
            siret,
            "Aide et Domicile",
            True,
        )


async def test_entreprises_au_nom_proche_proposees_jamais_rattachees_seules(
    plateforme: Plateforme,
) -> None:
    """The directory's « Boulangerie Martin » is proposed for France Travail's « BOULANGERIE
    MARTIN SARL », not the other baker; showing the page attaches nothing; one click does."""
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    marque = secrets.token_hex(3).upper()
    offre_id = await _offre_sans_siret(plateforme, f"BOULANGERIE MARTIN {marque} SARL")
    martin, dupont = un_siret(), un_siret()
    async with plateforme.client(cre_id) as cre:
        for siret, nom in ((martin, "Boulangérie Martin"), (dupont, "Boulangerie Dupont")):
            entreprise = {"siret": siret, "nom": f"{nom} {marque}", "code_postal": "74000"}
            r = await cre.post("/api/v1/entreprises", json=entreprise | {"commune": "Annecy"})
            assert r.status_code == 201, r.text
        page = lu(await cre.get(f"/offres/{offre_id}"))
        assert f'id="proche-{martin}"' in page
        assert f'id="proche-{dupont}"' not in page
        assert (await cre.get(f"/api/v1/offres/{offre_id}")).json()["siret"] is None

        r = await cre.post(f"/offres/{offre_id}/entreprise", data={"siret": martin})
        assert r.status_code == 303
        assert (await cre.get(f"/api/v1/offres/{offre_id}")).json()["siret"] == martin
        assert 'id="proches"' not in (await cre.get(f"/offres/{offre_id}")).text
