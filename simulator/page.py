"""A plain HTML page for whoever runs the demo: the reminders and calls that were "sent".
Everything shown comes from the platform's requests, so everything is escaped."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from html import escape
from typing import Any

from simulator.store import CourrielRecu, Mode, Recu

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #161616; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { border: 1px solid #ddd; padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: #f0f0f5; }
pre { white-space: pre-wrap; margin: 0; font-size: .85rem; }
.alerte { color: #b34000; font-weight: bold; }
"""


def _heure(moment: datetime | Any) -> str:
    if isinstance(moment, datetime):
        return moment.astimezone().strftime("%d/%m/%Y %H:%M:%S")
    return str(moment)


def _table(titre: str, entetes: Sequence[str], lignes: Iterable[Sequence[str]]) -> str:
    """Cells arrive already escaped (some hold <pre> blocks)."""
    corps = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in ligne) + "</tr>" for ligne in lignes)
    if not corps:
        return f"<h2>{escape(titre)}</h2><p>Rien pour l'instant.</p>"
    tete = "".join(f"<th>{escape(e)}</th>" for e in entetes)
    return f"<h2>{escape(titre)}</h2><table><thead><tr>{tete}</tr></thead><tbody>{corps}</tbody></table>"


def _pre(texte: str) -> str:
    return f"<pre>{escape(texte)}</pre>"


def _modes(modes: dict[str, Mode], nom: Callable[[str], str]) -> str:
    def detail(m: Mode) -> str:
        if m.mode == "instable":
            return f"{m.pourcentage} % d'échecs"
        return f"{m.delai_s:g} s d'attente" if m.mode == "lent" else ""

    lignes = [
        (
            escape(nom(p)) + f" <small>({escape(p)})</small>",
            f'<span class="alerte">{escape(m.mode)}</span>' if m.mode != "normal" else "normal",
            escape(detail(m)),
        )
        for p, m in modes.items()
    ]
    return _table("Modes de fonctionnement", ("Partenaire", "Mode", "Détail"), lignes)


def page(
    modes: dict[str, Mode],
    recus: list[Recu],
    courriels: list[CourrielRecu],
    sms: list[dict[str, Any]],
    nom: Callable[[str], str],
) -> str:
    sections = [
        _modes(modes, nom),
        _table(
            "Courriels reçus",
            ("Reçu le", "De", "À", "Objet", "Texte", "Livraisons"),
            (
                (
                    escape(_heure(c.recu_le)),
                    escape(c.expediteur),
                    escape(", ".join(c.destinataires)),
                    escape(c.sujet),
                    _pre(c.texte),
                    str(c.livraisons),
                )
                for c in reversed(courriels)
            ),
        ),
        _table(
            "SMS reçus",
            ("Reçu le", "Téléphone", "Texte", "Appels"),
            (
                (
                    escape(_heure(s["recu_le"])),
                    escape(str(s["telephone"])),
                    _pre(str(s["texte"])),
                    str(s["appels"]),
                )
                for s in reversed(sms)
            ),
        ),
        _table(
            "Appels reçus",
            ("Premier appel", "Partenaire", "Opération", "Clé d'idempotence", "Appels", "Corps"),
            (
                (
                    escape(_heure(r.premier_appel)),
                    escape(nom(r.partenaire)),
                    escape(r.operation),
                    escape(r.cle),
                    str(r.appels),
                    _pre(json.dumps(r.corps, ensure_ascii=False, indent=2)),
                )
                for r in sorted(recus, key=lambda r: r.premier_appel, reverse=True)
            ),
        ),
    ]
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta http-equiv="refresh" content="5">'
        f"<title>Simulateur des partenaires</title><style>{STYLE}</style></head><body>"
        "<h1>Simulateur des partenaires</h1>"
        "<p>Ce que la plateforme a envoyé aux partenaires simulés. La page se rafraîchit "
        "toutes les 5 secondes.</p>" + "".join(sections) + "</body></html>"
    )
