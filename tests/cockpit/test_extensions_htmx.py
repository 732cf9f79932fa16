"""Every htmx extension a page loads is used by an ``hx-ext`` somewhere, and every ``hx-ext``
names one that is loaded: the SSE extension was fetched on every page for nothing (issue 21),
and an ``hx-ext`` without its script silently does nothing."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"
CHARGEE = re.compile(r'<script[^>]*src="/static/vendor/htmx/ext/([a-z0-9-]+)\.js"')
EMPLOYEE = re.compile(r'hx-ext="([^"]+)"')


def _textes() -> dict[str, str]:
    fichiers = [*WEB.rglob("*.html"), *WEB.rglob("*.py"), *(WEB / "static" / "app").glob("*.js")]
    return {str(f.relative_to(WEB)): f.read_text(encoding="utf-8") for f in fichiers}


def test_chaque_extension_htmx_chargee_est_employee_et_inversement() -> None:
    textes = _textes()
    chargees = {nom for t in textes.values() for nom in CHARGEE.findall(t)}
    employees = {
        nom.strip()
        for t in textes.values()
        for liste in EMPLOYEE.findall(t)
        for nom in liste.split(",")
        if not nom.strip().startswith("ignore:")
    }
    assert chargees - employees == set(), "chargée, jamais employée"
    assert employees - chargees == set(), "employée, jamais chargée"
    for nom in chargees:
        assert (WEB / "static" / "vendor" / "htmx" / "ext" / f"{nom}.js").is_file(), nom
