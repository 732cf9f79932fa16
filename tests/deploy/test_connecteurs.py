"""Which connector each partner uses (ticket 20, item 7): « simulateur », « reel » or
« desactive », from PARTNER_<ID>_CONNECTEUR or the partner list; production refuses the
simulator, by name, and an unknown mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.partners import load_partners
from core.production import refus_production
from core.settings import Settings
from tests.deploy.configuration import configuration_complete


def _refusees(**changements: str) -> list[str]:
    env = {**configuration_complete(), **changements}
    return [
        f"{r.variable} : {r.probleme}" for r in refus_production(Settings.model_validate(env), env)
    ]


def test_la_production_refuse_le_simulateur_en_le_nommant() -> None:
    assert _refusees(PARTNER_CAF_CONNECTEUR="simulateur") == [
        "PARTNER_CAF_CONNECTEUR : « simulateur » refusé : choisissez reel ou desactive"
    ]
    assert _refusees(PARTNER_CAF_CONNECTEUR="vrai") == [
        "PARTNER_CAF_CONNECTEUR : « vrai » inconnu (reel, desactive ou simulateur)"
    ]


@pytest.mark.parametrize("mode", ["reel", "desactive"])
def test_la_production_accepte_reel_et_desactive(mode: str) -> None:
    assert _refusees(PARTNER_CAF_CONNECTEUR=mode) == []


def test_le_mode_et_le_depot_viennent_de_l_environnement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    liste = tmp_path / "partners.toml"
    liste.write_text('[caf]\nnom = "CAF"\nsource = "urn:x:caf"\n\n[sms]\nnom = "SMS"\n')
    monkeypatch.setenv("PARTNER_CAF_CONNECTEUR", "reel")
    monkeypatch.setenv("PARTNER_CAF_DEPOT", "/srv/depots/caf")
    dev = load_partners(liste, "http://sim", production=False)
    assert (dev["caf"].connecteur, dev["caf"].depot) == ("reel", "/srv/depots/caf")
    assert (dev["sms"].connecteur, dev["sms"].depot) == ("simulateur", None)
    prod = load_partners(liste, "http://sim", production=True)
    assert prod["sms"].connecteur == "reel"
