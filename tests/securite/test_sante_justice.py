"""Health and justice data follow one rule in every output (issue 14, item 6): only the
référent sees them, only while the person consents — in the API, the pages, the forms, the
contract PDF, the right-of-access export and the observatoire's counts."""

from __future__ import annotations

import re
import zlib
from datetime import date
from typing import Any

import httpx

from observatoire.faits import lire
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from web.cockpit.fiche import SECTIONS

SANTE = "Suivi en psychiatrie depuis 2019"
JUSTICE = "Contrôle judiciaire jusqu'en 2027"
OBJECTIF = "Reprendre le suivi au CMP d'Annecy"
METIER_DE_L_OBJECTIF = "J1501"  # masked with its objective: it would say what the health aims at
ACTION = "Consultation d'orientation en santé mentale"  # a health service of the catalogue
SENSIBLES = (SANTE, JUSTICE, OBJECTIF, ACTION)


def _texte_pdf(pdf: bytes) -> str:
    """The text drawn by the PDF's (compressed) content streams."""
    flux = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL)
    # A stream whose last compressed byte is « \r » loses it to the pattern (one in 256, the
    # bytes vary with the parcours' ids): that byte is in the trailing checksum, so the text is
    # all there; a decompressor object gives it without requiring the checksum.
    return "".join(
        zlib.decompressobj().decompress(f).decode("latin-1") for f in flux if f[:1] == b"x"
    )


async def _commande(client: httpx.AsyncClient, pid: str, nom: str, corps: dict[str, Any]) -> None:
    reponse = await client.post(f"/api/v1/parcours/{pid}/{nom}", json=corps)
    assert reponse.status_code == 200, reponse.text


async def _parcours_avec_sante(claire: httpx.AsyncClient, today: date) -> str:
    cree = await claire.post(
        "/api/v1/parcours",
        json=donnees.accueil(today, nom="Confidentielle") | {"doublon_confirme": True},
    )
    assert cree.status_code == 201, cree.text
    pid = str(cree.json()["id"])
    diagnostic = donnees.diagnostic(today)
    diagnostic["freins"][0] = {"frein": "sante", "niveau": "bloquant", "commentaire": SANTE}
    diagnostic |= {"suivi_justice": True, "commentaire_justice": JUSTICE}
    await _commande(claire, pid, "enregistrer-diagnostic", diagnostic)
    decision = {
        "decidee_le": today.isoformat(),
        "type": "sociale",
        "organisme": "conseil_departemental",
        "referent_id": "ref-claire-martin",
        "motif_ecart": "Suivi social déjà engagé",
    }
    await _commande(claire, pid, "decider-orientation", decision)
    contrat = donnees.contrat(today) | {"type": "cer"}
    contrat["objectifs"] = [
        {"libelle": OBJECTIF, "frein": "sante", "code_rome": METIER_DE_L_OBJECTIF},
        {"libelle": "Retrouver un emploi en logistique"},
    ]
    await _commande(claire, pid, "rediger-contrat", contrat)
    for qui in ("usager", "referent"):
        await _commande(claire, pid, "signer-contrat", {"signataire": qui, "signe_le": str(today)})
    action = {"service_id": "sante-mentale-cmp", "debut_prevu": today.isoformat()}
    await _commande(claire, pid, "prescrire-action", action)
    return pid


def _fuites(texte: str) -> list[str]:
    return [s for s in SENSIBLES if s in texte or s.replace("'", "&#39;") in texte]


async def test_la_sante_et_la_justice_ne_sortent_que_pour_le_referent_consenti(
    plateforme: Plateforme,
) -> None:
    today = date.today()
    async with (
        plateforme.client("ref-claire-martin") as claire,
        plateforme.client("coord-bassin_annecien") as coord,
        plateforme.client("admin") as admin,
    ):
        pid = await _parcours_avec_sante(claire, today)
        pdf = f"/api/v1/parcours/{pid}/contrat.pdf"
        # the référent, with the person's consent, sees everything — PDF included
        assert _fuites((await claire.get(f"/api/v1/parcours/{pid}")).text) == list(SENSIBLES)
        assert OBJECTIF in _texte_pdf((await claire.get(pdf)).content)
        pages = [f"/parcours/{pid}", f"/parcours/{pid}/carnet"]
        pages += [f"/parcours/{pid}/fragments/{s}" for s in SECTIONS]
        vues = [(await claire.get(page)).text for page in pages]
        assert {OBJECTIF, ACTION} <= set().union(*map(_fuites, vues))  # where they would show
        assert METIER_DE_L_OBJECTIF in (await claire.get(f"/api/v1/parcours/{pid}")).text
        # the coordination sees none of it: API, pages, contract PDF
        assert _fuites((await coord.get(f"/api/v1/parcours/{pid}")).text) == []
        assert METIER_DE_L_OBJECTIF not in (await coord.get(f"/api/v1/parcours/{pid}")).text
        for page in pages:
            assert _fuites((await coord.get(page)).text) == [], page
        assert _fuites(_texte_pdf((await coord.get(pdf)).content)) == []
        assert _fuites((await admin.get(f"/api/v1/parcours/{pid}/export")).text) == []

        retrait = {
            "partage_partenaires": True,
            "themes_sensibles": False,
            "recueilli_le": today.isoformat(),
        }
        await _commande(claire, pid, "modifier-consentement", retrait)
        # consent withdrawn: the référent no longer receives them either, in any output
        assert _fuites((await claire.get(f"/api/v1/parcours/{pid}/export")).text) == []
        assert _fuites((await claire.get(f"/api/v1/parcours/{pid}")).text) == []
        assert _fuites(_texte_pdf((await claire.get(pdf)).content)) == []
        formulaire = await claire.get(f"/parcours/{pid}/commandes/enregistrer_diagnostic")
        assert formulaire.status_code == 200
        assert _fuites(formulaire.text) == []
        for page in pages:
            assert _fuites((await claire.get(page)).text) == [], page


def test_l_observatoire_ne_compte_plus_la_sante_sans_consentement() -> None:
    diagnostic = {
        "realise_le": "2026-03-02",
        "freins": [
            {"frein": "sante", "niveau": "bloquant"},
            {"frein": "mobilite", "niveau": "a_travailler"},
        ],
    }
    for consenti, attendu in ((True, {"sante", "mobilite"}), (False, {"mobilite"})):
        etat = {
            "consentement": {"themes_sensibles": consenti},
            "diagnostics": [diagnostic],
        }
        (fait,) = lire("p", etat).diagnostics
        assert set(fait.freins) == attendu
