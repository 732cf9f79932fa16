"""The OpenAPI description a client writes its code from: how to authenticate, readable
operation ids, the phases and prerequisites each command really has, the follow-up
milestones, problem details for errors, and French throughout."""

from __future__ import annotations

import re
from typing import Any

import pytest

from core.settings import Settings
from schemas.parcours import Phase
from web.app import create_app
from workflows.transitions import PAR_LIEN, TRANSITIONS, prerequis

# words that only English prose uses (French descriptions never contain them as words)
ANGLAIS = re.compile(
    r"\b(the|of|and|is|are|with|this|that|which|successful|response|error|returns?|"
    r"when|must|may|only|one|person|who|what|how|not|found|in|as|for|to|event|events)\b",
    re.IGNORECASE,
)
CODE = re.compile(r"`[^`]*`")


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    app = create_app(Settings(DATA_DIR=tmp_path_factory.mktemp("openapi")))
    return app.openapi()


def _operations(openapi: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(chemin, op) for chemin, ops in openapi["paths"].items() for op in ops.values()]


def test_bouton_authorize(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["securitySchemes"]
    assert schemas["jeton"]["type"] == "http"
    assert schemas["jeton"]["scheme"] == "bearer"
    assert schemas["session"] == schemas["session"] | {"type": "apiKey", "in": "cookie"}
    assert openapi["security"] == [{"jeton": []}, {"session": []}]


def test_sante_sans_authentification(openapi: dict[str, Any]) -> None:
    for chemin in ("/livez", "/readyz", "/healthz"):
        assert openapi["paths"][chemin]["get"]["security"] == [], chemin


def test_etag_de_chaque_reponse_portant_un_parcours(openapi: dict[str, Any]) -> None:
    """Opening, reading and every command answer the parcours with the ETag to send back in
    If-Match: a client reading only this description must learn it there."""
    parcours = {"$ref": "#/components/schemas/ParcoursVue"}
    avec_etag = []
    for chemin, op in _operations(openapi):
        for code, reponse in op["responses"].items():
            schema = reponse.get("content", {}).get("application/json", {}).get("schema")
            if code.startswith("2") and schema == parcours:
                assert "If-Match" in reponse["headers"]["ETag"]["description"], (chemin, code)
                avec_etag.append((op["operationId"], code))
    assert ("ouvrir", "201") in avec_etag
    assert ("consulter", "200") in avec_etag
    assert ("reprendre_parcours", "200") in avec_etag


def test_identifiants_d_operation_lisibles(openapi: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, op in _operations(openapi)]
    assert len(ids) == len(set(ids))
    assert "ouvrir" in ids
    assert "reprendre_parcours" in ids
    assert not [i for i in ids if "api_v1" in i]  # FastAPI's default: name_path_method


def test_phases_et_prerequis_des_commandes(openapi: dict[str, Any]) -> None:
    for nom, t in TRANSITIONS.items():
        chemin = f"/api/v1/parcours/{{parcours_id}}/{nom.replace('_', '-')}"
        if t.qui <= PAR_LIEN:  # from a link's page (the person's, a structure's): no API route
            assert chemin not in openapi["paths"], nom
            continue
        description = openapi["paths"][chemin]["post"]["description"]
        phases = ", ".join(p.label for p in Phase if p in t.phases)
        assert description.startswith(f"Possible en phase : {phases}."), (nom, description)
        if t.condition is not None:
            assert prerequis(t.condition), nom  # every condition says what it asks for
            assert f"Il faut {prerequis(t.condition)}." in description, (nom, description)


def test_jalons_du_suivi_dans_l_emploi(openapi: dict[str, Any]) -> None:
    jalon = openapi["components"]["schemas"]["PointSuivi"]["properties"]["jalon_jours"]
    assert jalon["enum"] == [30, 90, 180]


def test_erreurs_en_problem_json(openapi: dict[str, Any]) -> None:
    for chemin, op in _operations(openapi):
        for code, reponse in op["responses"].items():
            if code.startswith(("4", "5")):
                assert list(reponse["content"]) == ["application/problem+json"], (chemin, code)
    proprietes = openapi["components"]["schemas"]["Erreur"]["properties"]
    assert {"type", "title", "status", "detail", "instance", "code", "erreurs"} <= set(proprietes)


def _textes(noeud: Any, chemin: str = "") -> list[tuple[str, str]]:
    if isinstance(noeud, dict):
        trouves = [
            (chemin, v)
            for k, v in noeud.items()
            if k in ("description", "summary") and isinstance(v, str)
        ]
        for k, v in noeud.items():
            trouves += _textes(v, f"{chemin}/{k}")
        return trouves
    if isinstance(noeud, list):
        return [t for v in noeud for t in _textes(v, chemin)]
    return []


def test_toutes_les_descriptions_en_francais(openapi: dict[str, Any]) -> None:
    # code spans (paths, headers, values) are not prose
    anglais = [(c, t[:80]) for c, t in _textes(openapi) if ANGLAIS.search(CODE.sub("", t))]
    assert anglais == []


def test_la_liste_de_mots_reconnait_l_anglais() -> None:
    assert ANGLAIS.search("Successful Response")
    assert ANGLAIS.search("Not Found")
    assert ANGLAIS.search("A CloudEvents 1.0 event in structured JSON mode")
    assert not ANGLAIS.search("Réponse réussie ; une personne, le référent du parcours")


def test_chaque_corps_peut_etre_refuse_trop_gros_ou_d_un_autre_type(
    openapi: dict[str, Any],
) -> None:
    """The body's guard answers before any route (web/securite/saisies.py): a client written
    from this description must know it, and schemathesis checks every code is documented (a
    random 1 Mo body on an account import once came back 413, undocumented)."""
    avec_corps = [(nom, op) for nom, op in _operations(openapi) if "requestBody" in op]
    assert avec_corps
    sans_413 = [nom for nom, op in avec_corps if "413" not in op["responses"]]
    sans_415 = [nom for nom, op in avec_corps if "415" not in op["responses"]]
    assert (sans_413, sans_415) == ([], [])
    comptes = openapi["paths"]["/api/v1/structures/{structure_id}/comptes/import"]["post"]
    assert comptes["responses"]["413"]["description"] == "Requête trop volumineuse (1 Mo au plus)"
