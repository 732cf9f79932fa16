"""Issue 22, item 13, what the templates say without a browser: the Marianne block only for a
State operator (the DSFR's terms reserve it to the State), the operator's name otherwise; the
ProConnect button is the DSFR's identity button (``fr-connect``)."""

from __future__ import annotations

from typing import Any

from web.templating import templates


def _connexion(**operateur: Any) -> str:
    return templates.env.get_template("cockpit/connexion.html").render(
        u=None,
        titre="Connexion",
        suite="/",
        csrf="jeton",
        erreur=None,
        oidc="ProConnect",
        operateur={"nom": "GIP Insertion 74", "etat": False, "logo": None, "territoire": "de l'Ain"}
        | operateur,
    )


def test_l_operateur_qui_n_est_pas_l_etat_n_a_pas_le_bloc_marianne() -> None:
    page = _connexion()
    assert 'class="fr-logo"' not in page
    assert "Département<br>de la Haute-Savoie" not in page
    assert '<p class="fr-h6 fr-mb-0" id="operateur">GIP Insertion 74</p>' in page
    assert "plateforme du SPIE de l&#39;Ain." in page  # the footer names the SPIE it serves
    assert "Haute-Savoie" not in page
    etat = _connexion(nom="Préfecture de la Haute-Savoie", etat=True)
    assert '<p class="fr-logo">République<br>Française</p>' in etat


def test_le_bouton_proconnect_est_celui_du_dsfr() -> None:
    page = _connexion()
    assert 'class="fr-connect"' in page
    assert '<span class="fr-connect__brand">ProConnect</span>' in page
    assert "Qu'est-ce que ProConnect ?" in page


def test_le_logo_de_l_operateur_porte_son_nom() -> None:
    page = _connexion(logo="/static/app/logo-gip.svg")
    assert (
        '<img class="fr-footer__logo" src="/static/app/logo-gip.svg" alt="GIP Insertion 74"' in page
    )
    assert 'id="operateur">GIP Insertion 74</p>' not in page  # the logo says it instead
