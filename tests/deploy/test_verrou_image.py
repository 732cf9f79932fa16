"""The image's lock (requirements-image.lock): only the runtime dependencies, each pinned at
the version of requirements.lock (the one the tests ran with) and with its hashes, so that the
image build (Dockerfile: ``pip install --require-hashes``) refuses any other file."""

from __future__ import annotations

import itertools
import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from core.settings import ROOT

EPINGLE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.M)


def _entrees(nom: str) -> dict[str, str]:
    """Each pinned package of a lock: its name and its entry's text (pin, hashes, « via »)."""
    texte = (ROOT / nom).read_text(encoding="utf-8")
    debuts = [m.start() for m in EPINGLE.finditer(texte)] + [len(texte)]
    entrees = [texte[a:b] for a, b in itertools.pairwise(debuts)]
    return {canonicalize_name(e.split("==", 1)[0]): e for e in entrees}


def _version(entree: str) -> str:
    return entree.split("==", 1)[1].split()[0]


def test_le_verrou_de_l_image_porte_une_empreinte_par_paquet() -> None:
    image = _entrees("requirements-image.lock")
    sans = [nom for nom, entree in image.items() if "--hash=sha256:" not in entree]
    assert sans == []


def test_le_verrou_de_l_image_a_les_versions_testees_et_seulement_l_execution() -> None:
    image = _entrees("requirements-image.lock")
    developpement = _entrees("requirements.lock")
    ecarts = {
        n: (_version(e), _version(developpement[n]) if n in developpement else None)
        for n, e in image.items()
        if n not in developpement or _version(e) != _version(developpement[n])
    }
    assert ecarts == {}
    projet = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    execution = {canonicalize_name(Requirement(d).name) for d in projet["dependencies"]}
    outils = {
        canonicalize_name(Requirement(d).name) for d in projet["optional-dependencies"]["dev"]
    }
    assert execution - set(image) == set()
    assert (outils - execution) & set(image) == set()  # pytest, ruff, mypy… stay out


def test_l_image_installe_le_verrou_en_verifiant_les_empreintes() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --require-hashes --no-deps -r requirements-image.lock" in dockerfile
