"""Every label that the code puts an article before reads as French (issue 22, item 1)."""

from __future__ import annotations

import re

import pytest

from core.francais import au, du, genre, le, un
from schemas.evenements import CleSujet
from schemas.vigie import Severite
from tests.cockpit.conftest import CLAIRE
from tests.fixtures.plateforme import Plateforme
from workflows.transitions import TRANSITIONS, Qui, reserve_a

# The labels the code passes through core.francais: a new member of these enums must find
# its gender in the lexicon, or this test fails before a person reads « l'rupture ».
LIBELLES = [m.label for m in Severite] + [m.label for m in CleSujet]

# What hand elision produced: « de le », « à le », « l'» before a consonant, « le » before a vowel.
FAUTES = re.compile(
    r"\b(de|à) les? \b|\bl'[^aeiouyhàâéèêëîïôûüœ]|\b(le|la) [aeiouyàâéèêëîïôûüœ]", re.IGNORECASE
)


@pytest.mark.parametrize("libelle", LIBELLES)
def test_chaque_libelle_prend_son_article(libelle: str) -> None:
    assert genre(libelle) in ("m", "f", "mp", "fp")
    for forme in (le(libelle), du(libelle), au(libelle), un(libelle)):
        assert not FAUTES.search(forme), forme


def test_les_formes_attendues() -> None:
    assert du(Severite.RUPTURE.label) == "de la rupture"
    assert du(Severite.ALERTE.label) == "de l'alerte"
    assert le(CleSujet.FRANCE_TRAVAIL.label) == "l'identifiant France Travail"
    assert le(CleSujet.SALARIE.label) == "le SIRET et matricule du salarié"
    assert au("Coordination") == "à la coordination"
    assert un(Severite.ALERTE.label) == "une alerte"


def test_reserve_a_chaque_transition() -> None:
    for t in TRANSITIONS.values():
        texte = reserve_a(t.qui)
        assert texte.startswith(("au ", "à ")), texte
        assert not FAUTES.search(texte), texte
    assert reserve_a(frozenset({Qui.REFERENT})) == "au référent du parcours"


async def test_le_refus_d_une_commande_reservee_se_lit(
    plateforme: Plateforme, accueilli: str
) -> None:
    """The command route's 403 joined the raw groups (« réservé à le référent du parcours »,
    « à un coordinateur du territoire ou un administrateur »): it now says them with reserve_a."""
    async with plateforme.client(CLAIRE) as claire:
        refus = await claire.post(
            f"/api/v1/parcours/{accueilli}/relancer-referent",
            json={"message": "Le référent ne répond plus depuis trois semaines"},
        )
    assert refus.status_code == 403, refus.text
    message = refus.json()["message"]
    attendu = "est réservé à un coordinateur du territoire ou à un administrateur"
    assert attendu in message, message
    assert not FAUTES.search(message), message
