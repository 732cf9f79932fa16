"""The prefilled link to Immersion Facilitée's convention form, which the référent hands to the
person and the company: the real service has no API call to create a convention.

Parameters the form accepts, from gip-inclusion/immersion-facile commit
cd676358befab6b481b326b25f0e649abc6e1423 (2026-08-07): shared/src/routes/routes.ts, route
``conventionImmersion`` (path ``/demande-immersion``): ``siret``, ``immersionAddress``,
``immersionAppellation`` (JSON of appellationCode/appellationLabel/romeCode/romeLabel — not
sent: the platform knows the ROME code, not the appellation), ``agencyId``, ``agencyDepartment``,
``agencyKind``, ``skipIntro``, ``mtm_campaign``, ``mtm_kwd``; read into the form's initial values
by front/src/app/components/forms/convention/ConventionForm.tsx
(``pickConventionValueFromRouteParams``). Nothing about the person travels in the link: the URL
ends up in browser histories and logs, and the form has no parameter for it anyway.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from core.partners import lire_toml
from schemas.pmsmp import ConventionPmsmp

FORMULAIRE = "https://immersion-facile.beta.gouv.fr/demande-immersion"


@lru_cache(maxsize=4)
def reglages(partners_file: Path) -> dict[str, Any]:
    """The ``[immersion]`` block of partners.toml (no secret in it)."""
    valeurs: dict[str, Any] = lire_toml(partners_file).get("immersion", {})
    return valeurs


def lien_convention(c: ConventionPmsmp, r: dict[str, Any]) -> str:
    params = {
        "siret": c.entreprise.siret,
        "immersionAddress": f"{c.entreprise.etablissement}, {c.entreprise.commune}",
        "agencyId": r.get("agence_id"),
        "agencyDepartment": r.get("agence_departement"),
        "agencyKind": r.get("agence_type"),
        "skipIntro": "true",
        "mtm_campaign": r.get("campagne"),
    }
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{r.get('formulaire') or FORMULAIRE}?{query}"
