"""Matching people ready to work with an offer: who fits, in what order, and why, in words
a chargé de relation entreprise can repeat to the référent (« projet J1501 », « à 12 km,
permis B », « disponible la nuit »). Pure functions: the pool and the offer come in, the
ranked list goes out; nothing here reads a parcours or writes anything.

A person is left out — not ranked low — when the offer cannot work for them: no consent to be
shown to the employer-relations staff (or withdrawn), not ready, a project of another trade,
beyond the distance they accept, a licence the offer requires and they lack, or hours the
offer needs that they cannot do.

A person whose latest diagnostic says « pas disponible pour l'instant » is ranked after every
available one, with that reason and the diagnostic's date — not left out: the référent marked
the fiche « prête », perhaps after that diagnostic, and a diagnostic can be months old; the
chargé reads both and asks the référent. Only the availability comes from the diagnostic,
never a frein (what the chargé reads must not tell why).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from employeurs.depuis_le_parcours import DisponibiliteDite
from referentiels import territoires
from referentiels.rome import REFERENTIEL
from schemas.diagnostic import Disponibilite
from schemas.employeur import Creneau

LIBELLES_CRENEAUX = {
    Creneau.MATIN: "le matin",
    Creneau.APRES_MIDI: "l'après-midi",
    Creneau.SOIR: "le soir",
    Creneau.NUIT: "la nuit",
    Creneau.WEEK_END: "le week-end",
}
# When the latest diagnostic says the person can start: points, and the words of the reason.
QUAND = {
    Disponibilite.IMMEDIATE: (0.5, "disponible tout de suite"),
    Disponibilite.SOUS_TROIS_MOIS: (0.0, "disponible dans les trois mois"),
    Disponibilite.NON_DISPONIBLE: (0.0, "pas disponible pour l'instant"),
}


@dataclass(frozen=True)
class Lieu:
    commune: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Candidat:
    parcours_id: str
    projets: tuple[str, ...]  # ROME codes, the first is the main one
    lieu: Lieu
    permis_b: bool
    vehicule: bool
    distance_max_km: float
    creneaux: frozenset[Creneau]
    pret: bool = True
    consentement: bool = True  # to be shown to the SPIE's employer-relations staff
    disponibilite: DisponibiliteDite | None = None  # the latest diagnostic's, if any


@dataclass(frozen=True)
class OffreCible:
    code_rome: str
    lieu: Lieu
    permis_requis: bool = False
    creneaux: frozenset[Creneau] = field(default_factory=frozenset)  # needed, if any


@dataclass(frozen=True)
class Rapprochement:
    parcours_id: str
    score: float
    raisons: tuple[str, ...]
    disponible: bool = True  # False: « pas disponible pour l'instant », ranked after the others


def distance_km(a: Lieu, b: Lieu) -> float | None:
    """As the crow flies between two places (referentiels.territoires); None when a place has
    no position, unless both are in the same commune."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return 0.0 if a.commune == b.commune else None
    return territoires.distance_km((a.latitude, a.longitude), (b.latitude, b.longitude))


def _meme_famille(a: str, b: str) -> bool:
    """Two ROME codes of the same domain (letter and two digits: « J15 » soins)."""
    return a[:3] == b[:3]


def _projet(candidat: Candidat, offre: OffreCible) -> tuple[float, str] | None:
    if offre.code_rome in candidat.projets:
        rang = candidat.projets.index(offre.code_rome)
        return (3.0 if rang == 0 else 2.0), f"projet {offre.code_rome}"
    proche = next((p for p in candidat.projets if _meme_famille(p, offre.code_rome)), None)
    if proche is not None:
        libelle = REFERENTIEL[proche].libelle if proche in REFERENTIEL else proche
        return 1.0, f"projet voisin {proche} ({libelle})"
    return None


def _mobilite(candidat: Candidat, offre: OffreCible) -> tuple[float, str] | None:
    if offre.permis_requis and not candidat.permis_b:
        return None
    km = distance_km(candidat.lieu, offre.lieu)
    permis = ", permis B" if candidat.permis_b else ""
    if km is None:
        return 0.0, f"distance inconnue{permis}"
    if km > candidat.distance_max_km:
        return None
    # nearer is better, up to 2 points; a vehicle makes the last kilometres easier
    points = 2.0 * (1 - km / max(candidat.distance_max_km, 1.0)) + (0.5 if candidat.vehicule else 0)
    return points, f"à {round(km)} km{permis}"


def _creneaux(candidat: Candidat, offre: OffreCible) -> tuple[float, str] | None:
    manquants = offre.creneaux - candidat.creneaux
    if manquants:
        return None
    dits = offre.creneaux or candidat.creneaux
    ordre = list(Creneau)
    mots = [LIBELLES_CRENEAUX[c] for c in sorted(dits, key=ordre.index)]
    if not mots:
        return 0.0, "disponibilités non renseignées"
    return (1.0 if offre.creneaux else 0.5), "disponible " + _et(mots)


def _quand(candidat: Candidat) -> tuple[float, str] | None:
    """The diagnostic's availability, with its date (the chargé judges how old it is)."""
    dite = candidat.disponibilite
    if dite is None:
        return None
    points, mots = QUAND[dite.disponibilite]
    return points, f"{mots} ({dite.source})"


def _et(mots: list[str]) -> str:
    return mots[0] if len(mots) == 1 else ", ".join(mots[:-1]) + " et " + mots[-1]


def evaluer(candidat: Candidat, offre: OffreCible) -> Rapprochement | None:
    if not (candidat.consentement and candidat.pret):
        return None
    criteres = [
        _projet(candidat, offre),
        _mobilite(candidat, offre),
        _creneaux(candidat, offre),
    ]
    if any(c is None for c in criteres):
        return None
    retenus = [c for c in criteres if c is not None]
    if (quand := _quand(candidat)) is not None:
        retenus.append(quand)
    dite = candidat.disponibilite
    return Rapprochement(
        candidat.parcours_id,
        round(sum(p for p, _ in retenus), 3),
        tuple(r for _, r in retenus),
        disponible=dite is None or dite.disponibilite != Disponibilite.NON_DISPONIBLE,
    )


def classer(offre: OffreCible, vivier: list[Candidat]) -> list[Rapprochement]:
    """The people of the pool this offer can work for, the best fit first; those not available
    for now after all the others, the best fit first among them too."""
    trouves = [r for c in vivier if (r := evaluer(c, offre)) is not None]
    return sorted(trouves, key=lambda r: (not r.disponible, -r.score, r.parcours_id))
