"""« Modèles de messages » (issue 18, item 6): the administration reads every message about a
rendez-vous with fictitious data, and what each costs as an SMS; nobody else opens the page."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from markupsafe import escape

from agendas import messages
from agendas.messages import LETTRE, LETTRE_ANNULATION, MODELES, rendre
from tests.fixtures.plateforme import Plateforme

# What the person's phone receives, counted by hand on the fictitious data: (encoding, SMS).
# Every text stays in the GSM alphabet (tests/agendas/test_gabarits_gsm.py); before, the
# cancellation, the convocation and the reminder took 3, 4 and 3 SMS in UCS-2 (« ê », « · »).
COUTS = {
    "invitation": ("GSM-7", 2),
    "confirmation": ("GSM-7", 1),
    "changement": ("GSM-7", 2),
    "annulation": ("GSM-7", 2),
    "convocation": ("GSM-7", 2),
    "rappel": ("GSM-7", 2),
    "annulation_session": ("GSM-7", 1),
    "desinscription_session": ("GSM-7", 1),
}


def _section(page: str, code: str) -> str:
    trouve = re.search(rf'<section[^>]*id="modele-{code}">(.*?)</section>', page, re.S)
    assert trouve, f"pas de section pour {code}"
    return trouve.group(1)


async def test_l_administration_previsualise_chaque_message(plateforme: Plateforme) -> None:
    async with plateforme.client("admin") as admin:
        accueil = await admin.get("/administration")
        assert 'href="/administration/messages"' in accueil.text
        page = await admin.get("/administration/messages")
    assert page.status_code == 200, page.text[:300]
    assert {m.code for m in MODELES} == set(COUTS)
    for m in MODELES:
        section = _section(page.text, m.code)
        texte = rendre(m.code, m.exemple)
        encodage, sms = COUTS[m.code]
        assert str(escape(texte)) in section, m.code
        assert f"{len(texte)} caractères — {sms} SMS ({encodage} :" in section, section
        par = {"GSM-7": 153, "UCS-2": 67}[encodage] if sms > 1 else 160
        assert f"{par} caractères par SMS" in section, section
        if sms > 1:
            assert f"Ce message part en {sms} SMS" in section, section
        else:
            assert "avertissement-sms" not in section, section
    assert "hors-alphabet" not in page.text
    lettre = _section(page.text, LETTRE.code)  # the letter: its text, not an SMS count
    assert "Dominique Exemple, votre référent, vous invite à prendre rendez-vous" in lettre
    assert "appelez le 04 50 12 34 56 et donnez ce code" in lettre
    assert "SMS" not in lettre
    annulation = _section(page.text, LETTRE_ANNULATION.code)  # the cancellation's letter
    assert "Raison de l&#39;annulation : l&#39;intervenante est malade." in annulation
    assert "Appelez le 04 50 12 34 56." in annulation


async def test_l_apercu_montre_les_caracteres_hors_de_l_alphabet(
    plateforme: Plateforme, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fixed texts stay in the GSM alphabet, but a name may leave it: with « Jérôme », the
    reminder goes in UCS-2 and the page names the character that did it."""
    jerome = tuple(
        replace(m, exemple=m.exemple | {"prenom": "Jérôme"}) if m.code == "rappel" else m
        for m in MODELES
    )
    monkeypatch.setattr(messages, "MODELES", jerome)
    async with plateforme.client("admin") as admin:
        page = await admin.get("/administration/messages")
    rappel = _section(page.text, "rappel")
    assert "Caractère hors de l'alphabet des SMS : « ô »." in rappel, rappel
    assert "(UCS-2 : 67 caractères par SMS)" in rappel, rappel
    assert "hors-alphabet" not in _section(page.text, "convocation")


async def test_seule_l_administration_du_spie_ouvre_la_page(plateforme: Plateforme) -> None:
    for compte in ("ref-claire-martin", "coord-bassin_annecien"):
        async with plateforme.client(compte) as client:
            r = await client.get("/administration/messages")
        assert r.status_code == 403, (compte, r.status_code)
        assert "Bonjour" not in r.text
