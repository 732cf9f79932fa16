"""The partner contract is documented from the catalogue itself: in docs/ and in OpenAPI."""

from __future__ import annotations

from schemas.evenements import CATALOGUE
from tests.fixtures.plateforme import Plateforme
from web.partenaires.documentation import DOCUMENT, document_a_jour


def test_le_document_suit_le_catalogue() -> None:
    texte = DOCUMENT.read_text(encoding="utf-8")
    assert texte == document_a_jour(texte), (
        "docs/evenements-partenaires.md n'est plus à jour : lancez "
        "« .venv/bin/python -m web.partenaires.documentation »"
    )
    for nom in CATALOGUE:
        assert f"`{nom}`" in texte


async def test_openapi_decrit_la_route_et_le_catalogue(plateforme: Plateforme) -> None:
    async with plateforme.client() as client:
        schema = (await client.get("/openapi.json")).json()
    route = schema["paths"]["/api/v1/partners/{partner_id}/events"]["post"]
    assert route["tags"] == ["Partenaires"]
    attendues = {"202", "207", "400", "401", "403", "413", "415", "422", "429"}
    assert set(route["responses"]) == attendues
    assert "application/cloudevents+json" in route["requestBody"]["content"]
    lot = route["requestBody"]["content"]["application/cloudevents-batch+json"]
    assert lot["schema"]["type"] == "array"
    assert "resultats" in str(route["responses"]["207"])
    for nom, t in CATALOGUE.items():
        assert f"`{nom}`" in route["description"]
        assert t.effet.label in route["description"]
    file = schema["paths"]["/api/v1/partners/a-rapprocher"]["get"]
    assert {"403", "401"} <= set(file["responses"])
    assert "/api/v1/incidents/relance" in schema["paths"]
