"""The letter of an invitation (issue 18) for a person with neither phone nor e-mail: rendered to
PNG, its address block shows through the envelope's window in La Poste's standard, and the
booking code and the phone number to call are printed on it."""

from __future__ import annotations

import string
from datetime import date, datetime
from pathlib import Path

import pytest

from agendas.code import ALPHABET, LONGUEUR, afficher, normaliser, nouveau_code
from agendas.courrier import (
    LARGEUR_MAX,
    LIGNES_MAX,
    AdresseInutilisable,
    bloc_adresse,
    lettre_annulation_pdf,
    lettre_pdf,
    ligne_commune,
)
from core.clock import PARIS
from schemas.appels import CourrierAnnulation, CourrierInvitation, LienCarnetAEnvoyer
from tests.agendas.lettre import CODE, rendre, zone_de_la_fenetre

ADRESSE = "Résidence Les Tilleuls, Bât. B, 12 rue de l'Église"


def _courrier(**autres: str) -> CourrierInvitation:
    valeurs = {
        "prenom": "Jérôme",
        "nom": "Dupont-Lefèvre",
        "adresse": ADRESSE,
        "code_postal": "74160",
        "commune": "Saint-Julien-en-Genevois",
    } | autres
    return CourrierInvitation(
        carnet=LienCarnetAEnvoyer(
            lien_id="p-inv-1:invitation-courrier",
            adresse_publique="https://parcours.example.fr",
            expire_le=date(2031, 8, 16),
            chemin="rdv",
        ),
        motif="Premier rendez-vous d'orientation",
        referent_id="ref-exemple",
        referent="Léa Exemple",
        date_limite=date(2031, 8, 15),
        **valeurs,
    )


def test_le_bloc_adresse_suit_la_norme_de_la_poste() -> None:
    lignes = bloc_adresse("Jérôme", "Dupont-Lefèvre", ADRESSE, "74160", "Saint-Julien-en-Genevois")
    assert lignes == [
        "Jérôme DUPONT-LEFÈVRE",
        "Résidence Les Tilleuls",
        "Bât B",
        "12 rue de l'Église",
        "74160 SAINT JULIEN EN GENEVOIS",
    ]
    assert len(lignes) <= LIGNES_MAX
    assert all(len(ligne) <= LARGEUR_MAX for ligne in lignes)
    # the last line: postcode and town in capitals, no accent, no punctuation
    assert ligne_commune("74370", "Argonay-Pringy-Épagny") == "74370 ARGONAY PRINGY EPAGNY"
    assert not set(ligne_commune("74000", "Annecy-le-Vieux")) & set(string.punctuation)


def test_un_nom_ou_une_commune_trop_longs_sont_abreges_a_38_caracteres() -> None:
    long = bloc_adresse(
        "Marie-Françoise",
        "De La Fontaine-Saint-Exupéry",
        "1 rue X",
        "74500",
        "Saint-Julien-en-Genevois-les-Hauts",
    )
    assert long[0] == "M DE LA FONTAINE-SAINT-EXUPÉRY"
    assert long[-1] == "74500 ST JULIEN EN GENEVOIS LES HAUTS"
    assert all(len(ligne) <= LARGEUR_MAX for ligne in long)


def test_une_adresse_qui_ne_tient_pas_est_refusee_sans_etre_coupee() -> None:
    trop = ", ".join(f"Escalier {n} couloir de gauche au fond" for n in range(5))
    with pytest.raises(AdresseInutilisable, match="ne tient pas dans le bloc adresse"):
        bloc_adresse("Ana", "Lee", trop, "74000", "Annecy")


def test_le_code_se_tape_comme_on_le_lit() -> None:
    code = nouveau_code()
    assert len(code) == LONGUEUR
    assert set(code) <= set(ALPHABET)
    assert normaliser(afficher(code).lower()) == code
    assert normaliser("k7qm 3xrp h9td") == "K7QM3XRPH9TD"
    assert normaliser("K7QM-3XRP-H9TO") == "K7QM3XRPH9T0"  # O read as 0
    assert normaliser("K7QM-3XRP") is None
    assert normaliser("K7QM-3XRP-H9T!") is None
    assert len({nouveau_code() for _ in range(200)}) == 200


def test_la_lettre_rendue_en_png_montre_l_adresse_dans_la_fenetre_et_le_code(
    tmp_path: Path,
) -> None:
    code = nouveau_code()
    pdf = lettre_pdf(_courrier(), code, "04 50 12 34 56", date(2031, 8, 6))
    rendu = rendre(pdf, tmp_path / "lettre.png")
    attendu = bloc_adresse("Jérôme", "Dupont-Lefèvre", ADRESSE, "74160", "Saint-Julien-en-Genevois")
    assert rendu.fenetre == attendu  # the whole block, and nothing else, in the window
    assert rendu.encre(*zone_de_la_fenetre()) > 500  # drawn, not only in the text layer
    for ligne in attendu:
        assert rendu.encre_du_texte(ligne) > 20, ligne
    assert afficher(code) in rendu.texte
    assert rendu.encre_du_texte(afficher(code)) > 200
    assert "appelez le 04 50 12 34 56 et donnez ce code" in rendu.texte
    assert "https://parcours.example.fr/rdv" in rendu.texte
    assert "au plus tard le 15 août 2031" in rendu.texte


def _annulation(**autres: object) -> CourrierAnnulation:
    valeurs: dict[str, object] = {
        "prenom": "Jérôme",
        "nom": "Dupont-Lefèvre",
        "adresse": ADRESSE,
        "code_postal": "74160",
        "commune": "Saint-Julien-en-Genevois",
        "session": "Information collective RSA",
        "debut": datetime(2031, 8, 14, 9, 30, tzinfo=PARIS),
        "raison": "l'intervenante est malade",
        "referent_id": "ref-exemple",
        "referent": "Léa Exemple",
    } | autres
    return CourrierAnnulation.model_validate(valeurs)


def test_la_lettre_d_annulation_rendue_en_png_dit_quelle_session_quand_et_pourquoi(
    tmp_path: Path,
) -> None:
    """Same layout as the invitation's letter: the address in the window, drawn; then which
    session, when, why, what to do and whom to call, in plain French; no code."""
    pdf = lettre_annulation_pdf(_annulation(), "04 50 12 34 56", date(2031, 8, 6))
    rendu = rendre(pdf, tmp_path / "annulation.png")
    attendu = bloc_adresse("Jérôme", "Dupont-Lefèvre", ADRESSE, "74160", "Saint-Julien-en-Genevois")
    assert rendu.fenetre == attendu
    assert rendu.encre(*zone_de_la_fenetre()) > 500
    for ligne in attendu:
        assert rendu.encre_du_texte(ligne) > 20, ligne
    texte = " ".join(rendu.texte.split())
    assert "Réunion annulée" in texte
    assert (
        "La réunion « Information collective RSA » prévue le jeudi 14 août 2031 à 9 h 30 est "
        "annulée. Ne vous déplacez pas." in texte
    )
    assert rendu.encre_du_texte("Raison de l'annulation : l'intervenante est malade.") > 100
    assert "Léa Exemple, votre référent, vous proposera une autre date" in texte
    assert "Appelez le 04 50 12 34 56." in texte
    assert not CODE.findall(rendu.texte)


def test_la_lettre_de_desinscription_ne_parle_pas_d_une_session_annulee(tmp_path: Path) -> None:
    courrier = _annulation(raison=None, desinscription=True)
    pdf = lettre_annulation_pdf(courrier, "04 50 12 34 56", date(2031, 8, 6))
    texte = " ".join(rendre(pdf, tmp_path / "desinscription.png").texte.split())
    assert (
        "Votre inscription à la réunion « Information collective RSA » du jeudi 14 août 2031 à "
        "9 h 30 est annulée." in texte
    )
    assert "Raison" not in texte
