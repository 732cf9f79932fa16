"""The employers' side from the command line:

    python -m employeurs offres-france-travail

imports now what the Schedule ``import-offres-france-travail`` imports every night: France
Travail's offers of the département into the platform's offers (FRANCE_TRAVAIL_* settings,
README « Configuration »). Prints the bilan; exit status 1 when France Travail refuses or does
not answer (nothing is written then), 2 when the import is not configured.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import httpx

from core.settings import Settings, get_settings
from employeurs.france_travail import (
    NON_CONFIGURE,
    BilanOffresFT,
    ClientOffresFT,
    FranceTravailIndisponible,
    FranceTravailRefuse,
    config_depuis,
    importer,
)
from store.db import create_schema, make_engine, session_factory

MOTIFS = {
    "rome_inconnu": "code ROME absent du référentiel",
    "contrat_hors_champ": "contrat non salarié ou inconnu",
    "sans_identifiant": "sans identifiant",
}


def _ecrire(texte: str, *, erreur: bool = False) -> None:
    flux = sys.stderr if erreur else sys.stdout
    flux.write(texte + "\n")
    flux.flush()


def rapport(bilan: BilanOffresFT) -> list[str]:
    lignes = [
        f"Offres lues : {bilan.lues} sur {bilan.total} annoncées par France Travail",
        f"Ajoutées : {bilan.ajoutees} ; mises à jour : {bilan.mises_a_jour} ; "
        f"rouvertes : {bilan.reouvertes} ; fermées : {bilan.fermees}",
        f"Entreprises ajoutées à l'annuaire : {bilan.entreprises_ajoutees}",
        f"Gardées sans SIRET (entreprise non identifiée, à rattacher) : {bilan.sans_siret}",
    ]
    lignes += [f"Écartées ({MOTIFS.get(m, m)}) : {n}" for m, n in sorted(bilan.ecartees.items())]
    if not bilan.complete:
        lignes.append("Lecture incomplète : aucune offre n'a été fermée")
    return lignes


async def offres_france_travail(
    settings: Settings, transport: httpx.AsyncBaseTransport | None = None
) -> int:
    config = config_depuis(settings)
    if not config.configuree:
        _ecrire(NON_CONFIGURE, erreur=True)
        return 2
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    try:
        async with (
            httpx.AsyncClient(transport=transport) as http,
            session_factory(engine)() as session,
        ):
            bilan = await importer(session, ClientOffresFT(config, http))
    except (FranceTravailRefuse, FranceTravailIndisponible) as err:
        _ecrire(f"Import interrompu, rien n'est enregistré : {err}", erreur=True)
        return 1
    finally:
        await engine.dispose()
    for ligne in rapport(bilan):
        _ecrire(ligne)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m employeurs")
    commandes = parser.add_subparsers(dest="commande", required=True)
    commandes.add_parser(
        "offres-france-travail", help="Importer maintenant les offres de France Travail (74)"
    )
    parser.parse_args(argv)
    return asyncio.run(offres_france_travail(get_settings()))


if __name__ == "__main__":
    sys.exit(main())
