"""The import of companies through the API: a preview, then the confirmation; a file with a
wrong row is refused with a 422 naming the row and its column, nothing written; each company
written is in the audit log."""

from __future__ import annotations

import base64

from tests.administration.outils import un_siret
from tests.employeurs.comptes import charge_entreprise
from tests.employeurs.test_annuaire_api import _audit
from tests.fixtures.plateforme import Plateforme


def _demande(texte: str, confirmer: bool) -> dict[str, object]:
    contenu = base64.b64encode(texte.encode("utf-8")).decode()
    return {"nom_fichier": "entreprises.csv", "contenu": contenu, "confirmer": confirmer}


async def test_apercu_confirmation_et_ligne_en_erreur(plateforme: Plateforme) -> None:
    chablais = await charge_entreprise(plateforme, "chablais")
    siret = un_siret()
    bon = f"SIRET;Raison sociale;Code postal;Commune\n{siret};Ehpad du Lac;74200;Thonon-les-Bains\n"
    mauvais = bon + "12345678901234;Clé fausse;74200;Thonon-les-Bains\n"
    async with plateforme.client(chablais) as cre:
        refus = await cre.post("/api/v1/entreprises/import", json=_demande(mauvais, True))
        assert refus.status_code == 422, refus.text
        assert refus.json()["erreurs"] == [
            {
                "ligne": "3",
                "champ": "SIRET",
                "message": "Numéro SIRET invalide : 14 chiffres dont une clé de contrôle",
            }
        ]
        assert (await cre.get(f"/api/v1/entreprises/{siret}")).status_code == 404

        apercu = await cre.post("/api/v1/entreprises/import", json=_demande(bon, False))
        assert apercu.status_code == 200, apercu.text
        assert (apercu.json()["ajoutees"], apercu.json()["enregistre"]) == ([siret], False)
        assert (await cre.get(f"/api/v1/entreprises/{siret}")).status_code == 404

        fait = await cre.post("/api/v1/entreprises/import", json=_demande(bon, True))
        assert fait.status_code == 200, fait.text
        assert fait.json()["enregistre"]
        fiche = await cre.get(f"/api/v1/entreprises/{siret}")
        assert (fiche.json()["nom"], fiche.json()["bassin"]) == ("Ehpad du Lac", "chablais")
    audit = await _audit(plateforme, f"entreprise:{siret}")
    assert (chablais, "ecriture", "import « entreprises.csv »") in audit
