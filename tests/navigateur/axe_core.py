"""axe-core (from npm, version in axe/README) run in Chromium: the critical and serious
WCAG 2.x A/AA violations of a page as shown. Its script is injected, so the page's CSP is
bypassed in the contexts made here (tests only)."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page

AXE = Path(__file__).parent / "axe" / "axe.min.js"
GRAVES = {"critical", "serious"}
BUREAU = {"width": 1280, "height": 800}
TELEPHONE = {"width": 390, "height": 844}


async def contexte_sans_csp(chromium: Browser, ecran: dict[str, int] = BUREAU) -> BrowserContext:
    telephone = ecran["width"] < 600
    ctx = await chromium.new_context(
        viewport=ecran,  # type: ignore[arg-type]
        locale="fr-FR",
        bypass_csp=True,
        is_mobile=telephone,
        has_touch=telephone,
    )
    ctx.set_default_timeout(15_000)
    return ctx


async def violations_graves(page: Page) -> list[str]:
    """The critical and serious WCAG 2.1/2.2 A/AA violations axe-core finds on the page."""
    await page.wait_for_load_state("load")  # (the pages poll: never « network idle »)
    await page.wait_for_function("document.documentElement.hasAttribute('data-fr-js')")
    await page.add_script_tag(path=str(AXE))
    resultat = await page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: "tag",
                values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                cibles: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + n.failureSummary)}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}) : {v['help']} → {v['cibles']}"
        for v in resultat
        if v["impact"] in GRAVES
    ]


class Releve:
    """What a browser test notes on every page it goes through: the script errors, and
    axe-core's serious violations by page; ``rien`` asserts there were none."""

    def __init__(self, page: Page, *, attendre_le_dsfr: bool = True) -> None:
        self.page, self.attendre_le_dsfr = page, attendre_le_dsfr
        self.erreurs_js: list[str] = []
        self.violations: dict[str, list[str]] = {}
        page.on("pageerror", lambda e: self.erreurs_js.append(str(e)))

    async def verifier(self, nom: str) -> None:
        """The page shown now, once loaded and the DSFR's script started, called ``nom``."""
        if self.attendre_le_dsfr:
            await self.page.wait_for_load_state("load")
            await self.page.wait_for_function("document.documentElement.hasAttribute('data-fr-js')")
        if trouvees := await violations_graves(self.page):
            self.violations[nom] = trouvees

    def rien(self) -> None:
        assert not self.erreurs_js, f"Erreurs JavaScript dans la page : {self.erreurs_js}"
        assert not self.violations, "\n".join(
            f"{k} : {v}" for k, vs in self.violations.items() for v in vs
        )
