"""Where an event or a contract takes place: a commune of Haute-Savoie, and so its bassin."""

from __future__ import annotations

from dataclasses import dataclass

from employeurs.annuaire import EmployeurRefuse, bassin_de, commune_de
from schemas.erreurs import CodeErreur


def refus_champ(champ: str, message: str) -> EmployeurRefuse:
    """A 422 naming the field, in French; nothing is written."""
    return EmployeurRefuse(
        422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": champ, "message": message}]
    )


def refus_champs(erreurs: list[dict[str, str]]) -> EmployeurRefuse:
    """A 422 for several fields at once (a form of many rows)."""
    message = "Données invalides : corrigez les champs indiqués"
    return EmployeurRefuse(422, message, CodeErreur.DONNEES_INVALIDES, erreurs)


@dataclass(frozen=True)
class Lieu:
    commune: str
    commune_insee: str | None
    bassin: str


def lieu(code_postal: str, commune: str) -> Lieu:
    """The commune and its bassin; a place outside the département's bassins is refused, as
    its chargés de relation entreprise are those of a bassin."""
    trouvee = commune_de(code_postal, commune)
    bassin = bassin_de(trouvee, code_postal, commune)
    if bassin is None:
        raise refus_champ("commune", "Commune inconnue en Haute-Savoie pour ce code postal")
    return Lieu(trouvee.nom if trouvee else commune, trouvee.insee if trouvee else None, bassin)
