"""Every SMS a person receives stays in the GSM 03.38 alphabet (issue 18): one character outside
it (« ê » of « empêchement », « · » of « convoqué·e », « û » of « août ») sends the whole text in
UCS-2, 70 characters per SMS instead of 160, and a reminder costs three SMS instead of one.

Each template is rendered with what the workflow really puts in it: every motif of the rules,
every way of meeting, and a date in each month, written by the workflow's own functions
(tests/agendas/test_gabarits.py checks that the workflow sends those templates word for word).
The person's name and the place are data typed by people: they may leave the alphabet, the
administration's preview shows it (tests/cockpit/test_modeles_messages.py)."""

from __future__ import annotations

from datetime import date, datetime
from itertools import product

import pytest

from agendas.messages import MODELES, Modele, rendre
from core.clock import PARIS
from core.sms import compter
from rules.rendez_vous import regles_rendez_vous
from schemas.messages import MODELES as MODELES_DU_REFERENT
from schemas.rdv import ModeRdv
from workflows.etapes.base import jour_message, quand, quand_message

MOIS = range(1, 13)


def _variantes(m: Modele) -> list[dict[str, object]]:
    """The template's example, with each value the workflow may put in each field."""
    motifs = [x.libelle for x in regles_rendez_vous().motifs] if "motif" in m.exemple else [None]
    facons = [f"{x.label}" for x in ModeRdv] + [None] if "ou" in m.exemple else [None]
    variantes = []
    for mois, motif, ou in product(MOIS, motifs, facons):
        donnees = dict(m.exemple)
        moment = datetime(2031, mois, 21, 9, 30, tzinfo=PARIS)
        for champ in ("quand", "ancien_quand"):
            if champ in donnees:
                donnees[champ] = quand_message(moment)
        if "date_limite" in donnees:
            donnees["date_limite"] = jour_message(date(2031, mois, 1))
        if motif is not None:
            donnees["motif"] = motif
        if ou is not None:  # the workflow writes the way of meeting when there is no place
            donnees["ou"] = ou.lower()
        variantes.append(donnees)
    return variantes


@pytest.mark.parametrize("modele", MODELES, ids=lambda m: m.code)
def test_chaque_sms_reste_dans_l_alphabet_gsm(modele: Modele) -> None:
    for donnees in _variantes(modele):
        texte = rendre(modele.code, donnees)
        compte = compter(texte)
        assert compte.encodage == "GSM-7", f"« {compte.hors_alphabet} » dans : {texte}"


@pytest.mark.parametrize("mois", MOIS)
def test_les_dates_des_messages_restent_dans_l_alphabet_gsm(mois: int) -> None:
    moment = datetime(2031, mois, 1, 14, 0, tzinfo=PARIS)
    assert compter(quand_message(moment)).encodage == "GSM-7", quand_message(moment)
    assert compter(jour_message(moment.date())).encodage == "GSM-7"
    # the timeline keeps the usual spelling: only what is sent to the person changes
    assert quand(moment).split(" ")[1] == quand_message(moment).split(" ")[1].replace(
        "aout", "août"
    )


@pytest.mark.parametrize("modele", list(MODELES_DU_REFERENT), ids=lambda m: m.value)
def test_les_modeles_du_referent_restent_dans_l_alphabet_gsm(modele: object) -> None:
    """The référent's own templates (« Écrire à la personne ») go by SMS too."""
    _, texte = MODELES_DU_REFERENT[modele]  # type: ignore[index]
    compte = compter(texte)
    assert compte.encodage == "GSM-7", f"« {compte.hors_alphabet} » dans : {texte}"


def test_le_premier_du_mois_dans_les_messages() -> None:
    """« le 1er aout », as the pages say it; « 11 aout » and « 21 aout » untouched."""
    assert quand_message(datetime(2031, 8, 1, 9, 5, tzinfo=PARIS)) == "1er aout 2031 à 9 h 05"
    assert jour_message(date(2031, 12, 1)) == "1er décembre 2031"
    assert jour_message(date(2031, 8, 11)) == "11 aout 2031"
    assert jour_message(date(2031, 8, 21)) == "21 aout 2031"
