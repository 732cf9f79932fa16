"""What an SMS costs (core.sms, shown on « Modèles de messages » and in the message form): the
standard's limits at their exact edges, counted on texts whose cost is known by hand."""

from __future__ import annotations

import pytest

from core.sms import compter


@pytest.mark.parametrize(
    ("texte", "encodage", "unites", "segments"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),  # then 153 per part
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("é" * 160, "GSM-7", 160, 1),  # « é », « è », « à » are in the GSM alphabet
        ("€" * 80, "GSM-7", 160, 1),  # the extension table: two 7-bit characters each
        ("€" * 81, "GSM-7", 162, 2),
        ("a" * 69 + "ê", "UCS-2", 70, 1),  # one « ê » and the whole text is UCS-2
        ("a" * 70 + "ê", "UCS-2", 71, 2),  # then 67 per part
        ("a" * 133 + "ê", "UCS-2", 134, 2),
        ("a" * 134 + "ê", "UCS-2", 135, 3),
        ("😀" * 35, "UCS-2", 70, 1),  # outside the BMP: two UTF-16 units
        ("", "GSM-7", 0, 1),
    ],
)
def test_le_cout_d_un_sms(texte: str, encodage: str, unites: int, segments: int) -> None:
    compte = compter(texte)
    assert (compte.encodage, compte.unites, compte.segments) == (encodage, unites, segments)
    assert compte.caracteres == len(texte)


def test_les_caracteres_qui_font_passer_en_ucs2_sont_nommes_une_fois() -> None:
    assert compter("Vous êtes convoqué·e, même à l'île").hors_alphabet == "ê·î"
    assert compter("Rendez-vous à 9 h 30 à Annecy").hors_alphabet == ""
