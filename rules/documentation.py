"""Regenerates docs/regles.md from the rule files, so that the documentation reviewers read is
the rules the platform runs (a test fails when the committed file is out of date).

    python -m rules.documentation
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rules.chargement import lire_yaml
from rules.orientation import FAITS, regles_orientation
from schemas.parcours import Phase
from schemas.regles import Unite
from workflows.phases import GRAPHE

DOC = Path(__file__).resolve().parent.parent / "docs" / "regles.md"
OPS = {
    "egal": "=",
    "different": "≠",
    "inf": "<",
    "inf_egal": "≤",
    "sup": ">",
    "sup_egal": "≥",
    "dans": "parmi",
}


def _valeur(v: Any) -> str:
    if isinstance(v, bool):
        return "vrai" if v else "faux"
    if isinstance(v, list):
        return ", ".join(_valeur(x) for x in v)
    return str(v)


def condition(c: dict[str, Any]) -> str:
    if "toujours" in c:
        return "toujours (règle par défaut)"
    if "tous" in c:
        return " **et** ".join(condition(x) for x in c["tous"])
    if "un_de" in c:
        return "(" + " **ou** ".join(condition(x) for x in c["un_de"]) + ")"
    if "non" in c:
        return f"non ({condition(c['non'])})"
    if c["op"] == "entre":
        return f"`{c['fait']}` entre {c['valeur'][0]} et {c['valeur'][1]}"
    return f"`{c['fait']}` {OPS[c['op']]} {_valeur(c['valeur'])}"


def orientation() -> list[str]:
    jeu = regles_orientation()
    lines = [
        f"## Orientation (version {jeu.version})",
        "",
        "Les règles sont lues dans l'ordre : la première dont la condition est vraie donne la proposition. "
        "La décision du référent est enregistrée à côté ; si elle diffère, un motif est obligatoire.",
        "",
        "| Ordre | Code | Condition | Proposition | Motif affiché |",
        "|---|---|---|---|---|",
    ]
    for n, r in enumerate(jeu.regles, start=1):
        lines.append(
            f"| {n} | `{r.code}` | {condition(r.quand)} | {r.type.label}, {r.organisme.label} | {r.libelle} |"
        )
    lines += ["", "Faits disponibles :", ""] + [f"- `{k}` : {v}" for k, v in FAITS.items()]
    return lines


def _delai(d: dict[str, Any] | None) -> str:
    return f"{d['valeur']} {Unite(d.get('unite', 'jours')).label}" if d else "—"


def vigie() -> list[str]:
    data = lire_yaml("vigie.yaml")
    lines = [
        f"## Vigie des ruptures (version {data['version']})",
        "",
        "### Délais par phase",
        "",
        "| Phase | Code | Échéance | Délai | Alerte avant |",
        "|---|---|---|---|---|",
    ]
    for e in data["echeances"]:
        lines.append(
            f"| {e['phase']} | `{e['code']}` | {e['libelle']} | {_delai(e['delai'])} | "
            f"{e.get('alerte_avant_jours', 3)} jours |"
        )
    lines += [
        "",
        "### Règles d'alerte et de rupture",
        "",
        "| Code | Sévérité | Délai ou seuil | Libellé |",
        "|---|---|---|---|",
    ]
    for r in data["ruptures"]:
        seuil = (
            _delai(r.get("delai"))
            if r.get("delai")
            else (str(r["seuil"]) if r.get("seuil") else "—")
        )
        lines.append(f"| `{r['code']}` | {r['severite']} | {seuil} | {r['libelle']} |")
    lines += [
        "",
        "### Rappels de rendez-vous",
        "",
        "| Code | Jours avant | Heure | Canaux |",
        "|---|---|---|---|",
    ]
    for r in data.get("rappels") or []:
        lines.append(
            f"| `{r['code']}` | {r['jours_avant']} | {r['heure']} h | {', '.join(r['canaux'])} |"
        )
    lines += ["", "### Ajustements par territoire", ""]
    for territoire, overrides in (data.get("territoires") or {}).items():
        for code, change in (overrides.get("echeances") or {}).items():
            lines.append(f"- {territoire} : `{code}` → {_delai(change.get('delai'))}")
    return lines


def phases() -> list[str]:
    """The phase graph of workflows/phases.py, drawn (Mermaid) and listed."""
    lines = [
        "## Phases du parcours",
        "",
        "Les seuls changements de phase permis ; le parcours refuse tout autre changement.",
        "",
        "```mermaid",
        "flowchart LR",
    ]
    lines += [f'    {p.value}["{p.label}"]' for p in Phase]
    for de, suites in GRAPHE.items():
        lines += [
            f'    {de.value} -->|"{pourquoi}"| {vers.value}' for vers, pourquoi in suites.items()
        ]
    lines += ["```", "", "| De | Vers | Quand |", "|---|---|---|"]
    for de, suites in GRAPHE.items():
        lines += [f"| {de.label} | {vers.label} | {why} |" for vers, why in suites.items()]
    return lines


def generer() -> str:
    head = [
        "# Règles de la plateforme",
        "",
        "Fichier généré par `python -m rules.documentation` depuis `rules/orientation.yaml`, "
        "`rules/vigie.yaml` et `workflows/phases.py` : ne pas le modifier à la main.",
        "",
    ]
    return "\n".join(head + phases() + [""] + orientation() + [""] + vigie()) + "\n"


def main() -> None:
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(generer(), encoding="utf-8")


if __name__ == "__main__":
    main()
