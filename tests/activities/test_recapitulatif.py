"""The référents' daily digest leaves the platform by e-mail: it gives counts and links to the
cockpit, never the names of the people (issue 14, item 12)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any, cast

from activities.vigie import VigieActivities
from schemas.notifications import SORTES
from schemas.vigie_quotidienne import TourneeVigie
from store.parcours import ParcoursRow

PUBLIC = "https://parcours.example.fr"


def _ligne(n: int, statut: str) -> ParcoursRow:
    ligne: Any = SimpleNamespace(
        id=f"p{n}", nom=f"Dupuis{n}", prenom="Zélie", reference=f"REF{n:05d}", statut=statut
    )
    return cast(ParcoursRow, ligne)


def test_le_recapitulatif_donne_des_nombres_et_un_lien_sans_nommer_personne() -> None:
    absent: Any = None
    vigie = VigieActivities(absent, absent, absent, absent, PUBLIC)
    lignes = [_ligne(1, "en_rupture"), _ligne(2, "en_rupture"), _ligne(3, "en_alerte")]
    courriel = vigie._digest(TourneeVigie(jour=date(2026, 12, 2)), lignes)
    texte = courriel.sujet + courriel.texte
    for mot in ("Dupuis", "DUPUIS", "Zélie", "REF0000"):
        assert mot not in texte
    assert "3 parcours de votre portefeuille demandent votre attention" in texte
    assert f"en rupture : 2 — {PUBLIC}/?statut=en_rupture" in texte
    assert f"en alerte : 1 — {PUBLIC}/?statut=en_alerte" in texte
    assert "en incident" not in texte
    assert courriel.lien == f"{PUBLIC}/"


def test_les_notifications_choisies_sont_recapitulees_par_nombre() -> None:
    """--- notifications --- An account that asked for kinds in its digest gets their unread
    counts and the centre's link, even without a parcours to look at."""
    absent: Any = None
    vigie = VigieActivities(absent, absent, absent, absent, PUBLIC)
    recap = [(SORTES["transfert_a_accuser"], 2), (SORTES["rupture"], 1)]
    seules = vigie._digest(TourneeVigie(jour=date(2026, 12, 2)), [], recap)
    assert seules.sujet == "Notifications non lues (3) — 02/12/2026"
    assert "- transfert à accuser : 2\n- rupture sur mes parcours : 1" in seules.texte
    assert f"À lire dans le cockpit : {PUBLIC}/notifications" in seules.texte
    avec = vigie._digest(TourneeVigie(jour=date(2026, 12, 2)), [_ligne(1, "en_rupture")], recap)
    assert "1 parcours de votre portefeuille demande votre attention" in avec.texte
    assert "Notifications non lues :" in avec.texte
