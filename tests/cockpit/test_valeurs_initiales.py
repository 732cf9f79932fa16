"""A command's form starts from sensible values (the rules' proposal, the contract's
objectives, today's dates…), kept in tables keyed by the command's name: a command renamed, or a
field, and its form would silently start empty. Each key must name a declared command, and each
value pre-filled a field of that command's form."""

from __future__ import annotations

from datetime import date

from schemas.parcours import ParcoursState, PassagePhase, Phase
from services.commandes import modele_api
from tests.factories import accueil_rsa
from web.cockpit.choix import CHOIX_SIMPLES, VALEURS_INITIALES, initiales
from workflows.transitions import TRANSITIONS

JOUR = date(2026, 10, 1)


def etat() -> ParcoursState:
    a = accueil_rsa(JOUR, caf="1234567")
    return ParcoursState(
        parcours_id="p-initiales",
        version=1,
        ouvert_le=JOUR,
        accueil=a,
        usager=a.usager,
        territoire=a.territoire,
        identifiants=a.identifiants,
        consentement=a.consentement,
        phase=Phase.ACCUEIL,
        phases=[PassagePhase(phase=Phase.ACCUEIL, du=JOUR)],
    )


def test_chaque_table_ne_nomme_que_des_commandes_declarees() -> None:
    inconnues = sorted((set(VALEURS_INITIALES) | set(CHOIX_SIMPLES)) - set(TRANSITIONS))
    assert not inconnues, f"commandes inconnues dans les tables du cockpit : {inconnues}"


def test_chaque_valeur_initiale_remplit_un_champ_du_formulaire() -> None:
    s, params = etat(), {"service_id": "svc-1"}
    hors_formulaire = {
        nom: sorted(set(initiales(nom, s, JOUR, params)) - set(modele_api(nom).model_fields))
        for nom in VALEURS_INITIALES
    }
    assert not {nom: champs for nom, champs in hors_formulaire.items() if champs}


def test_la_relance_nomme_la_personne_et_ses_alertes() -> None:
    message = initiales("relancer_referent", etat(), JOUR, {})["message"]
    assert message.startswith("Le parcours de ")
    assert "(pas de nouvelles récentes)" in message
