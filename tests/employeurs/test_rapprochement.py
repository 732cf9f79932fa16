"""Matching on a built pool whose ranking is known: the project first, then the distance and
the hours; consent withdrawn, too far, another trade or hours the person cannot do ⇒ absent;
« pas disponible pour l'instant » in the latest diagnostic ⇒ after the available people.
The reasons are the words the chargé de relation entreprise reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from employeurs import vivier
from employeurs.depuis_le_parcours import DisponibiliteDite
from employeurs.rapprochement import Candidat, Lieu, OffreCible, classer, distance_km
from schemas.diagnostic import Disponibilite
from schemas.employeur import Creneau
from store.employeurs import VivierRow

# Commune centres (approximate), as the pool and the offer would carry them.
THONON = Lieu("Thonon-les-Bains", 46.3705, 6.4790)
ANTHY = Lieu("Anthy-sur-Léman", 46.3556, 6.4261)
EVIAN = Lieu("Évian-les-Bains", 46.4006, 6.5897)
ANNECY = Lieu("Annecy", 45.8992, 6.1294)
NUIT = frozenset({Creneau.NUIT})

OFFRE = OffreCible("J1501", THONON, permis_requis=False, creneaux=NUIT)


def candidat(pid: str, **autres: object) -> Candidat:
    valeurs: dict[str, object] = {
        "parcours_id": pid,
        "projets": ("J1501",),
        "lieu": THONON,
        "permis_b": True,
        "vehicule": True,
        "distance_max_km": 30.0,
        "creneaux": frozenset({Creneau.NUIT, Creneau.WEEK_END}),
    }
    return Candidat(**(valeurs | autres))  # type: ignore[arg-type]


VIVIER = [
    candidat("b-evian", lieu=EVIAN),
    candidat("e-consentement-retire", lieu=ANTHY, consentement=False),
    candidat("c-projet-voisin", projets=("J1506",)),
    candidat("d-trop-loin", lieu=ANNECY),
    candidat("a-anthy", lieu=ANTHY, distance_max_km=20.0),
    candidat("f-pas-la-nuit", creneaux=frozenset({Creneau.MATIN})),
    candidat("g-autre-metier", projets=("F1603",)),
    candidat("h-pas-pret", pret=False),
    candidat("i-projet-second", projets=("K1302", "J1501"), lieu=EVIAN),
]


def test_classement_attendu() -> None:
    classes = classer(OFFRE, VIVIER)
    assert [r.parcours_id for r in classes] == [
        "a-anthy",  # main project, 4 km
        "b-evian",  # main project, 9 km
        "i-projet-second",  # second project, 9 km
        "c-projet-voisin",  # same domain (J15), on the spot
    ]


def test_les_raisons_en_mots() -> None:
    raisons = {r.parcours_id: r.raisons for r in classer(OFFRE, VIVIER)}
    assert raisons["a-anthy"] == ("projet J1501", "à 4 km, permis B", "disponible la nuit")
    assert raisons["c-projet-voisin"][0] == (
        "projet voisin J1506 (Infirmier / Infirmière en soins généraux (IDE))"
    )


def test_permis_exige() -> None:
    sans_permis = candidat("sans-permis", permis_b=False, vehicule=False)
    assert classer(OFFRE, [sans_permis])[0].raisons[1] == "à 0 km"
    offre_avec_permis = OffreCible("J1501", THONON, permis_requis=True, creneaux=NUIT)
    assert classer(offre_avec_permis, [sans_permis]) == []


def test_distances() -> None:
    km = distance_km(ANTHY, THONON)
    assert km is not None
    assert 4 <= km < 5
    assert distance_km(Lieu("Thônes"), Lieu("Thônes")) == 0.0
    assert distance_km(Lieu("Thônes"), THONON) is None


def _dit(disponibilite: Disponibilite) -> DisponibiliteDite:
    return DisponibiliteDite(disponibilite, date(2026, 11, 3))


def test_la_disponibilite_du_diagnostic_change_le_rang() -> None:
    """The same pool, the best fit's latest diagnostic saying otherwise: « pas disponible pour
    l'instant » sends her after every available person (not out of the list), « dans les trois
    mois » behind an equal person available now; the reason says it with the date."""
    sans_diagnostic = [r.parcours_id for r in classer(OFFRE, VIVIER)]
    assert sans_diagnostic[0] == "a-anthy"

    def classement(anthy: Disponibilite, evian: Disponibilite) -> list[str]:
        dites = {"a-anthy": anthy, "b-evian": evian}
        personnes = [
            replace(c, disponibilite=_dit(dites[c.parcours_id])) if c.parcours_id in dites else c
            for c in VIVIER
        ]
        return [r.parcours_id for r in classer(OFFRE, personnes)]

    immediate, plus_tard = Disponibilite.IMMEDIATE, Disponibilite.SOUS_TROIS_MOIS
    assert classement(immediate, immediate) == sans_diagnostic
    assert classement(Disponibilite.NON_DISPONIBLE, immediate) == [
        "b-evian",
        "i-projet-second",
        "c-projet-voisin",
        "a-anthy",  # the best fit, but not available for now: last
    ]
    # Évian, 9 km, available now, before Anthy, 4 km, in three months
    assert classement(plus_tard, immediate)[:2] == ["b-evian", "a-anthy"]

    attend = replace(VIVIER[4], disponibilite=_dit(Disponibilite.NON_DISPONIBLE))
    (r,) = classer(OFFRE, [attend])
    assert r.raisons[-1] == "pas disponible pour l'instant (diagnostic du 3 novembre 2026)"
    assert not r.disponible


def test_seule_la_disponibilite_sort_du_diagnostic() -> None:
    """What the chargé reads of a parcours: the availability and its date, never a frein (health
    above all), whatever the diagnostic holds."""
    freins = [
        {"frein": "sante", "niveau": "bloquant", "commentaire": "Suivi au CMP d'Annecy"},
        {"frein": "famille", "niveau": "bloquant", "commentaire": "Pas de garde le soir"},
    ]
    diagnostic = {"realise_le": "2026-11-03", "disponibilite": "sous_trois_mois", "freins": freins}
    fiche = VivierRow(
        parcours_id="p-1",
        territoire="chablais",
        commune="Thonon-les-Bains",
        pret=True,
        consentement=True,
        projets=["J1501"],
        creneaux=["nuit"],
        mis_a_jour=datetime(2026, 11, 4, tzinfo=UTC),
    )
    (r,) = classer(OFFRE, [vivier.candidat(fiche, {"diagnostics": [diagnostic]})])
    assert r.raisons[-1] == "disponible dans les trois mois (diagnostic du 3 novembre 2026)"
    dit = " ".join(r.raisons)
    assert not any(mot in dit for mot in ("CMP", "garde", "santé", "Santé", "bloquant"))
