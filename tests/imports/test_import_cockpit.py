"""The cockpit's import wizard: upload, mapping proposed then corrected, preview with French
errors, confirmation, live progress, report (issue 16, item 2)."""

from __future__ import annotations

import base64
import secrets

from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import attendre

COORD = "coord-bassin_annecien"


async def test_assistant_d_import(plateforme: Plateforme) -> None:
    nom = "Assist" + secrets.token_hex(3).upper()
    csv = (
        "NOM_BENEF;PRENOM;NAISSANCE;CP;VILLE;TEL\n"
        f"{nom};Léa;02/03/1990;74000;Annecy;06 12 34 56 78\n"
        f"{nom}bis;Léo;31/13/1990;74000;Annecy;\n"
    ).encode("cp1252")
    async with plateforme.client(COORD, follow_redirects=False) as coord:
        page = await coord.get("/imports")
        assert page.status_code == 200
        assert "Importer une liste de personnes" in page.text
        r = await coord.post(
            "/imports",
            data={
                "source": "test-assistant",
                "nom_fichier": "liste.csv",
                "contenu": base64.b64encode(csv).decode(),
            },
        )
        assert r.status_code == 303, r.text
        url = r.headers["location"]
        apercu = (await coord.get(url)).text
        assert "Indiquez la colonne du champ « Nom »" in apercu  # NOM_BENEF is not a usual name

        mapping = {"nom": "NOM_BENEF", "prenom": "PRENOM", "date_naissance": "NAISSANCE"}
        mapping |= {"code_postal": "CP", "commune": "VILLE", "telephone": "TEL"}
        r = await coord.post(f"{url}/correspondance", data=mapping)
        assert r.status_code == 303, r.text
        apercu = (await coord.get(url)).text
        assert "Ouvrir un parcours : 1" in apercu
        assert "Date de naissance : date attendue au format JJ/MM/AAAA" in apercu

        r = await coord.post(f"{url}/confirmer")
        assert r.status_code == 303, r.text

        async def fini() -> str | None:
            fragment = (await coord.get(f"{url}/progression", headers={"HX-Request": "true"})).text
            return fragment if "Import terminé" in fragment else None

        fragment = await attendre(fini, "import terminé", delai_s=60)
        assert "Parcours ouvert : 1" in fragment
        assert "hx-trigger" not in fragment  # the polling stops
        rapport = await coord.get(f"{url}/rapport.csv")
        assert rapport.status_code == 200
        assert "Parcours ouvert" in rapport.content.decode("utf-8-sig")

        # The next file of this source: its mapping is proposed.
        r = await coord.post(
            "/imports",
            data={
                "source": "test-assistant",
                "nom_fichier": "liste2.csv",
                "contenu": base64.b64encode(csv).decode(),
            },
        )
        apercu = (await coord.get(r.headers["location"])).text
        assert "Indiquez la colonne" not in apercu
        assert "Déjà connu, rien à changer : 1" in apercu
