"""The table, printed in the terminal and written as Markdown to docs/bench.md."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bench import machine
from bench.mesure import Resultat

ENTETES = ("Mesure", "Chiffre", "Cible", "Atteinte")
DEBUT, FIN = "<!-- chiffres : début (écrit par « make bench ») -->", "<!-- chiffres : fin -->"


def _lignes(resultats: list[Resultat]) -> list[tuple[str, str, str, str]]:
    return [
        (c.libelle, c.valeur_texte(), c.cible, c.verdict()) for r in resultats for c in r.chiffres
    ]


def tableau(resultats: list[Resultat]) -> str:
    """A plain-text table, then each figure's method, numbered."""
    lignes = _lignes(resultats)
    largeurs = [max(len(x[i]) for x in [ENTETES, *lignes]) for i in range(4)]

    def ligne(valeurs: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(n) for v, n in zip(valeurs, largeurs, strict=True)).rstrip()

    sortie = [ligne(ENTETES), ligne(tuple("─" * n for n in largeurs))]
    methodes: list[str] = []
    for r in resultats:
        sortie.append(f"[{r.mesure}]")
        for c in r.chiffres:
            methodes.append(f"  {len(methodes) + 1}. {c.libelle} : {c.methode}")
            sortie.append(ligne((c.libelle, c.valeur_texte(), c.cible, c.verdict())))
        methodes += [f"     note : {n}" for n in r.notes]
    return "\n".join([*sortie, "", "Méthodes :", *methodes])


def _cellule(texte: str) -> str:
    return texte.replace("|", "\\|").replace("\n", " ")


def markdown(
    resultats: list[Resultat], taille: str, duree_s: float, postgres: str | None, charge: str
) -> str:
    quand = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lignes = [f"* Date : {quand} — tailles « {taille} », durée totale {duree_s / 60:.1f} min"]
    lignes += [f"* {cle} : {valeur}" for cle, valeur in machine.description().items()]
    lignes.append(f"* Charge de la machine au départ (1 / 5 / 15 min) : {charge}")
    versions = ", ".join(f"{k} {v}" for k, v in machine.versions(postgres).items())
    lignes += [f"* Versions : {versions}", ""]
    for r in resultats:
        lignes += [
            f"## {r.mesure}",
            "",
            "| Mesure | Chiffre | Cible | Atteinte | Méthode |",
            "|---|---|---|---|---|",
        ]
        for c in r.chiffres:
            cellules = (c.libelle, c.valeur_texte(), c.cible, c.verdict(), c.methode)
            lignes.append("| " + " | ".join(_cellule(x) for x in cellules) + " |")
        lignes.append("")
        lignes += [x for n in r.notes for x in (n, "")]
        lignes += [f"_Durée de la mesure : {r.duree_s:.0f} s._", ""]
    return "\n".join(lignes)


ENTETE = """# Mesures de performance

Produit par `make bench` (`python -m bench`, code dans `bench/`) : chaque chiffre est mesuré
dans la même exécution, sur la boucle locale, avec de vrais composants (serveur Temporal de
développement, SQLite, PostgreSQL, HTTP). Ce ne sont pas des tests : aucune assertion de durée.
Le guide [Passer à l'échelle](passage-a-l-echelle.md) s'appuie sur ces chiffres.
"""


def ecrire(chemin: Path, chiffres: str) -> None:
    """Replace the figures between the markers; the analysis around them is kept."""
    bloc = f"{DEBUT}\n\n{chiffres.rstrip()}\n\n{FIN}"
    texte = chemin.read_text() if chemin.exists() else ""
    if DEBUT in texte and FIN in texte:
        avant, _, reste = texte.partition(DEBUT)
        _, _, apres = reste.partition(FIN)
        chemin.write_text(avant + bloc + apres)
    else:
        chemin.write_text(f"{ENTETE}\n{bloc}\n")
