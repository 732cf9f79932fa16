"""The employers' pages of the cockpit over HTTP (issue 24): the directory and the offers are the
chargés de relation entreprise's (a référent is refused them), a form refused for a field names
that field and adds nothing, the matching is seen only in the offer's territory, and a
proposition made there reaches the person's référent, whose « embauchée » declares the hiring."""

from __future__ import annotations

import html
import secrets
from datetime import date

import httpx

from tests.administration.outils import un_siret
from tests.api import donnees
from tests.cockpit.conftest import HTMX
from tests.cockpit.html import element
from tests.employeurs.comptes import charge_entreprise
from tests.employeurs.test_vivier_api import _projete
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import attendre
from tests.securite.test_sante_justice import _texte_pdf

CLAIRE, MARC = "ref-claire-martin", "ref-marc-roux"


def lu(r: httpx.Response) -> str:
    """The page's text as read (Jinja escapes the apostrophes)."""
    return html.unescape(r.text)


async def test_annuaire_reserve_et_saisie_refusee_par_champ(plateforme: Plateforme) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    siret = un_siret()
    nom = "Menuiserie " + secrets.token_hex(3).upper()
    async with plateforme.client(cre_id) as cre, plateforme.client(CLAIRE) as claire:
        refus = await claire.get("/entreprises")
        assert refus.status_code == 403
        assert "réservé aux chargés de relation entreprise" in refus.text

        r = await cre.post("/entreprises", data={"siret": "123 456", "nom": nom})
        assert r.status_code == 422
        assert 'id="siret-erreur"' in r.text
        assert "Numéro SIRET invalide" in r.text
        assert 'value="123 456"' in r.text  # the form as typed
        r = await cre.post("/entreprises", data={"siret": siret})  # no directory: a name
        assert r.status_code == 422
        assert 'id="nom-erreur"' in r.text
        assert siret not in (await cre.get("/entreprises")).text  # nothing added

        r = await cre.post(
            "/entreprises",
            data={"siret": siret, "nom": nom, "code_postal": "74000", "commune": "Annecy"},
        )
        assert r.status_code == 303
        assert r.headers["location"] == f"/entreprises/{siret}"
        deux = await cre.post("/entreprises", data={"siret": siret, "nom": nom})
        assert deux.status_code == 409
        assert "déjà dans l'annuaire" in lu(deux)

        fiche = await cre.get(f"/entreprises/{siret}")
        assert fiche.status_code == 200
        assert "Cette entreprise n'a pas le label." in lu(fiche)
        r = await cre.post(f"/entreprises/{siret}/label", data={"inclusif": "oui"})
        assert r.status_code == 303
        fiche = await cre.get(f"/entreprises/{siret}")
        assert "Employeur inclusif</span> depuis le" in fiche.text
        assert "accordé par Chargée entreprises bassin_annecien" in fiche.text
        r = await cre.post(f"/entreprises/{siret}/contacts", data={"nom": "", "email": "x"})
        assert r.status_code == 422
        assert 'id="email-erreur"' in r.text
        r = await cre.post(f"/entreprises/{siret}/contacts", data={"nom": "Mme Duval"})
        assert r.status_code == 303
        assert "Mme Duval" in (await cre.get(f"/entreprises/{siret}")).text

        trouvee = await cre.get("/entreprises", params={"q": nom.lower(), "inclusifs": "true"})
        assert f'href="/entreprises/{siret}"' in trouvee.text
        autre_bassin = await cre.get("/entreprises", params={"q": nom, "bassin": "chablais"})
        assert f'href="/entreprises/{siret}"' not in autre_bassin.text


async def _offre(cre: httpx.AsyncClient) -> str:
    siret = un_siret()
    entreprise = {"siret": siret, "nom": "Logistique", "code_postal": "74000", "commune": "Annecy"}
    assert (await cre.post("/entreprises", data=entreprise)).status_code == 303
    saisie = {
        "siret": siret,
        "intitule": "Préparateur de commandes " + secrets.token_hex(3),
        "code_rome": "N1103",
        "code_postal": "74000",
        "commune": "Annecy",
        "type_contrat": "cdd",
        "inclusive": "oui",
    }
    r = await cre.post("/offres", data=saisie | {"code_rome": ""})
    assert r.status_code == 422
    assert "code_rome" in r.text
    r = await cre.post("/offres", data=saisie)
    assert r.status_code == 303, r.text
    return str(r.headers["location"]).removeprefix("/offres/")


async def test_offre_rapprochement_et_proposition_jusqu_a_l_embauche(
    plateforme: Plateforme,
) -> None:
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    cre_chablais = await charge_entreprise(plateforme, "chablais")
    nom = "Pages" + secrets.token_hex(4).upper()
    async with (
        plateforme.client(cre_id) as cre,
        plateforme.client(cre_chablais) as chablais,
        plateforme.client(CLAIRE) as claire,
        plateforme.client(MARC) as marc,
    ):
        metiers = await cre.get("/offres/metiers", params={"metier": "préparateur commandes"})
        assert 'value="N1103"' in metiers.text
        offre_id = await _offre(cre)
        liste = await cre.get("/offres", params={"inclusives": "true", "statut": "ouverte"})
        assert f'href="/offres/{offre_id}"' in liste.text

        r = await claire.post("/api/v1/parcours", json=donnees.accueil(date.today(), nom=nom))
        pid = r.json()["id"]
        await attendre(lambda: _projete(plateforme, pid), "projection du parcours")
        assert (await marc.get(f"/parcours/{pid}/emploi")).status_code == 404
        r = await claire.post(
            f"/parcours/{pid}/vivier",
            data={"pret": "oui", "consentement": "oui", "projets": ["Z9999", "", ""]},
        )
        assert r.status_code == 422
        assert "Code ROME inconnu" in r.text
        fiche = {
            "pret": "oui",
            "consentement": "oui",
            "projets": ["n1103", "", ""],
            "permis_b": "oui",
            "distance_max_km": "15",
            "creneaux": ["matin", "apres_midi"],
        }
        assert (await claire.post(f"/parcours/{pid}/vivier", data=fiche)).status_code == 303

        page = await cre.get(f"/offres/{offre_id}/rapprochement")
        assert page.status_code == 200
        assert nom in page.text
        for raison in ("projet N1103", "à 0 km, permis B", "disponible le matin et l'après-midi"):
            assert raison in lu(page)
        refus = await chablais.get(f"/offres/{offre_id}/rapprochement")
        assert refus.status_code == 403
        assert nom not in refus.text
        assert (
            await chablais.post(f"/offres/{offre_id}/propositions", data={"parcours_id": pid})
        ).status_code == 403
        assert (await claire.get(f"/offres/{offre_id}/rapprochement")).status_code == 403

        r = await cre.post(f"/offres/{offre_id}/propositions", data={"parcours_id": pid})
        assert r.status_code == 303
        page = await cre.get(f"/offres/{offre_id}/rapprochement")
        assert "À transmettre à la personne" in page.text

        emploi = await claire.get(f"/parcours/{pid}/emploi")
        assert emploi.status_code == 200
        assert "Préparateur de commandes" in emploi.text
        assert "projet N1103" in emploi.text
        (prop,) = (await claire.get(f"/api/v1/parcours/{pid}/propositions")).json()
        url = f"/propositions/{prop['id']}"
        assert (await marc.post(url, data={"statut": "entretien"})).status_code == 404
        assert (await claire.post(url, data={"statut": "entretien"})).status_code == 303
        sans_fin = {"statut": "embauchee", "date_debut": date.today().isoformat()}
        r = await claire.post(url, data=sans_fin)
        assert r.status_code == 422
        assert "date_fin" in r.text
        fin = date.today().replace(year=date.today().year + 1).isoformat()
        r = await claire.post(url, data=sans_fin | {"date_fin": fin})
        assert r.status_code == 303, r.text
        emploi = await claire.get(f"/parcours/{pid}/emploi")
        assert "L'embauche est déclarée dans le parcours." in lu(emploi)
        etat = (await claire.get(f"/api/v1/parcours/{pid}")).json()
        assert etat["phase"] == "emploi"
        offre = await cre.get(f"/offres/{offre_id}")
        assert 'id="statut-offre">Pourvue' in offre.text


async def _signe_avec_objectif(claire: httpx.AsyncClient, pid: str, jour: date) -> None:
    """A diagnostic saying « pas disponible pour l'instant » (health and mobility freins with
    their comments), an orientation to Claire, a CER whose objective names its métier through
    the cockpit's form (a code the ROME does not know refused first), signed."""
    diagnostic = donnees.diagnostic(jour) | {"disponibilite": "non_disponible"}
    diagnostic["freins"][0] |= {"niveau": "bloquant", "commentaire": SANTE}
    diagnostic["freins"][2] |= {"niveau": "bloquant", "commentaire": MOBILITE}
    orientation = {
        "decidee_le": jour.isoformat(),
        "type": "sociale",
        "organisme": "conseil_departemental",
        "referent_id": CLAIRE,
        "motif_ecart": "Suivi social déjà engagé",
    }
    for nom, corps in (
        ("enregistrer-diagnostic", diagnostic),
        ("decider-orientation", orientation),
    ):
        r = await claire.post(f"/api/v1/parcours/{pid}/{nom}", json=corps)
        assert r.status_code == 200, r.text
    url = f"/parcours/{pid}/commandes/rediger_contrat"
    formulaire = await claire.get(url, headers=HTMX)
    assert '<select class="fr-select" id="champ-objectifs-0-code_rome"' in formulaire.text
    assert 'value="J1501"' in formulaire.text  # the ROME's métiers, as the diagnostic chooses
    contrat = {
        "type": "cer",
        "date_debut": jour.isoformat(),
        "date_fin": date(jour.year + 1, jour.month, min(jour.day, 28)).isoformat(),
        "objectifs.0.libelle": "Devenir aide-soignante",
        "objectifs.0.code_rome": "Z9999",
    }
    r = await claire.post(url, data=contrat, headers=HTMX)
    assert r.status_code == 422
    assert "Code ROME inconnu du référentiel : Z9999" in element(
        r.text, "champ-objectifs-0-code_rome-erreur"
    )
    r = await claire.post(url, data=contrat | {"objectifs.0.code_rome": "J1501"}, headers=HTMX)
    assert r.status_code == 200, r.text
    for qui in ("usager", "referent"):
        signature = {"signataire": qui, "signe_le": jour.isoformat()}
        r = await claire.post(f"/api/v1/parcours/{pid}/signer-contrat", json=signature)
        assert r.status_code == 200, r.text


SANTE, MOBILITE = "Suivi au CMP d'Annecy", "Pas de voiture, le bus de 7 h à 19 h"


async def test_vivier_repris_du_contrat_et_du_diagnostic(plateforme: Plateforme) -> None:
    """The objective's métier and the diagnostic's availability and mobility are proposed to
    the référent on « Vers l'emploi », the CER shows the métier; the chargé reads « pas
    disponible pour l'instant » in the matching, and neither of them any health answer."""
    cre_id = await charge_entreprise(plateforme, "bassin_annecien")
    nom, jour = "Vivier" + secrets.token_hex(4).upper(), date.today()
    async with plateforme.client(cre_id) as cre, plateforme.client(CLAIRE) as claire:
        r = await claire.post("/api/v1/parcours", json=donnees.accueil(jour, nom=nom))
        pid = r.json()["id"]
        await _signe_avec_objectif(claire, pid, jour)

        async def repris() -> httpx.Response | None:
            page = await claire.get(f"/parcours/{pid}/emploi")
            return page if "objectif du contrat" in lu(page) else None

        emploi = await attendre(repris, "l'objectif du contrat sur « Vers l'emploi »")
        proposes = element(emploi.text, "metiers-du-parcours")
        assert "Aide-soignant / Aide-soignante (J1501) : objectif du contrat d'engagement" in lu(
            emploi
        )
        assert "projet du diagnostic" in proposes  # N1103, after the objective
        assert 'id="projet-0" name="projets" value="J1501"' in emploi.text
        reperes = lu(emploi)
        assert "Disponibilité : Pas disponible pour l'instant (diagnostic du" in reperes
        assert f"Mobilité : Bloquant : « {MOBILITE} »" in reperes
        assert 'id="pas-disponible"' in emploi.text
        assert 'id="pret" name="pret" value="oui" checked' not in emploi.text  # not for her
        assert SANTE not in reperes

        pdf = await claire.get(f"/api/v1/parcours/{pid}/contrat.pdf")
        objectif = "1. Devenir aide-soignante - métier visé : Aide-soignant / Aide-soignante"
        assert objectif + r" \(J1501\)" in _texte_pdf(pdf.content)  # PDF escapes parentheses

        fiche = {"pret": "oui", "consentement": "oui", "projets": ["J1501", "N1103", ""]}
        assert (await claire.post(f"/parcours/{pid}/vivier", data=fiche)).status_code == 303
        page = lu(await cre.get(f"/offres/{await _offre(cre)}/rapprochement"))
        ligne = page[page.index(nom) :].split("</tr>", 1)[0]
        assert "pas disponible pour l'instant (diagnostic du" in ligne
        assert "projet N1103" in ligne
        assert not any(dit in page for dit in (SANTE, MOBILITE, "Bloquant", "bloquant"))

        # available now, per the diagnostic: a new fiche starts « prête », still to be saved
        r = await claire.post("/api/v1/parcours", json=donnees.accueil(jour, nom=nom + "B"))
        autre = r.json()["id"]
        diagnostic = donnees.diagnostic(jour)  # « immédiate », the project N1103
        r = await claire.post(f"/api/v1/parcours/{autre}/enregistrer-diagnostic", json=diagnostic)
        assert r.status_code == 200, r.text

        async def diagnostiquee() -> httpx.Response | None:
            page = await claire.get(f"/parcours/{autre}/emploi")
            return page if "projet du diagnostic" in page.text else None

        emploi = await attendre(diagnostiquee, "le diagnostic sur « Vers l'emploi »")
        assert 'id="pret" name="pret" value="oui" checked' in emploi.text
        assert "Disponibilité : Immédiate (diagnostic du" in lu(emploi)
        assert 'id="pas-disponible"' not in emploi.text
