"""Immersion Facilitée's ``convention.updated`` callback, on payloads shaped like the real ones
(tests/fixtures/immersion_facilitee): authentication as the real service does it, malformed
bodies, and one convention followed from its signatures to the tutor's assessment."""

from __future__ import annotations

import copy
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import col, func, select

from partenaires.immersion_facilitee import faits, lire_rappel
from partenaires.refus import RefusEvenement
from schemas.common import Organisme
from schemas.contrat import (
    Objectif,
    RedactionContrat,
    Signataire,
    SignatureContrat,
    TypeContrat,
    add_months,
)
from schemas.entreprise import Entreprise
from schemas.orientation import DecisionOrientationResolue, TypeOrientation
from schemas.pmsmp import ConventionPmsmp, ObjectifPmsmp, Tuteur
from schemas.usager import IdentifiantsPartenaires
from services.parcours_client import ParcoursClient
from store.db import SessionFactory
from store.evenements_partenaires import EvenementRecu, StatutReception
from tests.factories import CLAIRE, KARIM, accueil_rsa, diagnostic
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import attendre, partenaires, recu

FIXTURES = Path(__file__).parents[1] / "fixtures" / "immersion_facilitee"
ROUTE = "/api/v1/partners/immersion-facilitee/rappels"


def fixture(nom: str) -> Any:
    return json.loads((FIXTURES / nom).read_text())


def corps(nom: str, **convention: Any) -> bytes:
    rappel = copy.deepcopy(fixture(nom))
    rappel["payload"]["convention"].update(convention)
    return json.dumps(rappel).encode()


# --- the payloads alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nom", "types"),
    [
        ("rappel_partially_signed.json", []),
        ("rappel_in_review.json", ["fr.immersion.convention.signee"]),
        (
            "rappel_accepted_by_validator.json",
            ["fr.immersion.convention.signee", "fr.immersion.convention.validee"],
        ),
        (
            "rappel_bilan.json",
            [
                "fr.immersion.convention.signee",
                "fr.immersion.convention.validee",
                "fr.immersion.bilan.redige",
            ],
        ),
        ("rappel_rejected.json", ["fr.immersion.convention.annulee"]),
    ],
)
def test_chaque_etat_reel_donne_ses_faits(nom: str, types: list[str]) -> None:
    convention = lire_rappel((FIXTURES / nom).read_bytes())
    assert [t for _, t, _, _ in faits(convention, "p-1")] == types


def test_le_bilan_du_tuteur_garde_resultat_et_embauche() -> None:
    convention = lire_rappel((FIXTURES / "rappel_bilan.json").read_bytes())
    (ident, _, le, data) = faits(convention, "p-1")[-1]
    assert ident == "4f0d8c2e-7b1a-4c5e-9d3f-2a6b8e1c0f47.bilan"  # stable: a repeat is a duplicate
    assert data["resultat"] == "realisee"
    assert data["embauche_proposee"] is True
    assert le.date() == date(2026, 12, 19)


@pytest.mark.parametrize(
    ("brut", "statut", "champ"),
    [
        (b"{pas du json", 400, None),
        (b'{"payload": {}, "subscribedEvent": "convention.updated"}', 422, "payload.convention"),
        (
            json.dumps({**fixture("rappel_in_review.json"), "subscribedEvent": "x"}).encode(),
            422,
            "subscribedEvent",
        ),
    ],
)
def test_un_rappel_malforme_est_refuse_en_nommant_le_champ(
    brut: bytes, statut: int, champ: str | None
) -> None:
    with pytest.raises(RefusEvenement) as refus:
        lire_rappel(brut)
    assert refus.value.status == statut
    if champ:
        assert champ in [e["champ"] for e in refus.value.erreurs]


# --- through the platform -------------------------------------------------------------------


def _siret() -> str:
    """A random SIRET with a valid Luhn key."""
    debut = [random.randrange(10) for _ in range(13)]
    for cle in range(10):
        chiffres = [*debut, cle]
        total = sum(
            (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
            for i, d in enumerate(reversed(chiffres))
        )
        if total % 10 == 0:
            return "".join(map(str, chiffres))
    raise AssertionError("unreachable")


def _secret(p: Plateforme) -> str:
    secret = partenaires(p)["immersion"].secret
    assert secret
    return secret


async def _poster(p: Plateforme, brut: bytes, authorization: str | None) -> httpx.Response:
    entetes = {"Content-Type": "application/json"}
    if authorization is not None:
        entetes["authorization"] = authorization
    async with p.client() as client:
        return await client.post(ROUTE, content=brut, headers=entetes)


async def _nombre_recus(sessions: SessionFactory) -> int:
    async with sessions() as session:
        n = await session.exec(
            select(func.count())
            .select_from(EvenementRecu)
            .where(col(EvenementRecu.partenaire) == "immersion")
        )
        return int(n.one())


@pytest.mark.parametrize("authorization", [None, "", "Bearer dev-jeton-immersion", "mauvais"])
async def test_un_rappel_mal_authentifie_est_refuse_et_ne_change_rien(
    plateforme: Plateforme, lecture: SessionFactory, authorization: str | None
) -> None:
    avant = await _nombre_recus(lecture)
    r = await _poster(plateforme, corps("rappel_in_review.json"), authorization)
    assert r.status_code == 401, r.text
    assert r.json()["code"] == "authentification_invalide"
    assert await _nombre_recus(lecture) == avant


async def _parcours_avec_pmsmp(p: Plateforme, siret: str, debut: date) -> tuple[str, str]:
    pc = ParcoursClient(p.env.client, p.task_queue)
    jour = date.today()
    accueil = accueil_rsa(jour).model_copy(update={"identifiants": IdentifiantsPartenaires()})
    pid = (await pc.ouvrir(accueil, CLAIRE)).parcours_id
    await pc.commander(pid, "enregistrer_diagnostic", diagnostic(jour), CLAIRE)
    orientation = DecisionOrientationResolue(
        decidee_le=jour,
        type=TypeOrientation.PROFESSIONNELLE,
        organisme=Organisme.FRANCE_TRAVAIL,
        referent_id=KARIM.id,
        referent=KARIM,
    )
    await pc.commander(pid, "decider_orientation", orientation, CLAIRE)
    contrat = RedactionContrat(
        type=TypeContrat.PPAE,
        date_debut=jour,
        date_fin=add_months(jour, 6),
        objectifs=[Objectif(libelle="Retrouver un emploi")],
    )
    await pc.commander(pid, "rediger_contrat", contrat, KARIM)
    for signataire in Signataire:
        signature = SignatureContrat(signataire=signataire, signe_le=jour)
        await pc.commander(pid, "signer_contrat", signature, KARIM)
    convention = ConventionPmsmp(
        entreprise=Entreprise(
            siret=siret,
            raison_sociale="Boulangerie du Lac",
            etablissement="Annecy",
            commune="Annecy",
        ),
        tuteur=Tuteur(nom="Dupuis", prenom="Jean", fonction="Chef boulanger"),
        date_debut=debut,
        date_fin=debut + timedelta(days=9),
        heures_hebdomadaires=35,
        horaires="8 h – 16 h",
        objectif=ObjectifPmsmp.CONFIRMER,
        metier="Boulanger",
    )
    s = await pc.commander(pid, "prescrire_pmsmp", convention, KARIM)
    return pid, s.pmsmp[-1].id


async def _pmsmp_projetee(sessions: SessionFactory, pid: str, etat: str) -> dict[str, Any]:
    from store.parcours import ParcoursRow

    async def lire() -> dict[str, Any] | None:
        async with sessions() as session:
            row = await session.get(ParcoursRow, pid)
            pmsmp = (row.etat or {}).get("pmsmp") if row else None
            return pmsmp[-1] if pmsmp and pmsmp[-1]["etat"] == etat else None

    return await attendre(lire, f"PMSMP de {pid} à l'état {etat}", delai_s=30)


async def test_une_convention_suivie_de_ses_signatures_au_bilan_du_tuteur(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    siret = _siret()  # a company of its own: no other test's PMSMP can match
    debut = date.today() - timedelta(days=1)  # begun yesterday: validated, it runs at once
    pid, pmsmp_id = await _parcours_avec_pmsmp(plateforme, siret, debut)
    await _pmsmp_projetee(lecture, pid, "en_signature")
    async with plateforme.client(KARIM.id) as referent:  # the link the référent hands out
        fiche = await referent.get(f"/parcours/{pid}")
    assert fiche.status_code == 200
    assert (
        f"https://immersion-facile.beta.gouv.fr/demande-immersion?siret={siret}&amp;" in fiche.text
    )
    autorise = _secret(plateforme)
    dates = {"siret": siret, "dateStart": f"{debut.isoformat()}T00:00:00.000Z"}
    conv = f"if-{pmsmp_id}"

    r = await _poster(plateforme, corps("rappel_partially_signed.json", id=conv, **dates), autorise)
    assert r.status_code == 200
    assert r.json() == {"evenements": 0, "nouveaux": 0, "matched": True}

    r = await _poster(plateforme, corps("rappel_in_review.json", id=conv, **dates), autorise)
    assert r.json() == {"evenements": 1, "nouveaux": 1, "matched": True}, r.text
    ligne = await recu(lecture, "immersion", f"{conv}.signee")
    assert ligne is not None
    assert ligne.parcours_id == pid
    assert ligne.sujet == pmsmp_id
    await _pmsmp_projetee(lecture, pid, "a_valider")

    validee = corps("rappel_accepted_by_validator.json", id=conv, **dates)
    r = await _poster(plateforme, validee, autorise)
    assert r.json() == {"evenements": 2, "nouveaux": 1, "matched": True}, r.text
    await _pmsmp_projetee(lecture, pid, "en_cours")
    r = await _poster(plateforme, validee, autorise)  # the same state again: nothing new
    assert r.json() == {"evenements": 2, "nouveaux": 0, "matched": True}

    bilan = fixture("rappel_bilan.json")
    bilan["payload"]["convention"].update(id=conv, **dates)
    bilan["payload"]["convention"]["assessment"]["createdAt"] = f"{date.today()}T08:00:00.000Z"
    r = await _poster(plateforme, json.dumps(bilan).encode(), autorise)
    assert r.json() == {"evenements": 3, "nouveaux": 1, "matched": True}, r.text
    p = await _pmsmp_projetee(lecture, pid, "bilan_fait")
    assert p["bilan"]["resultat"] == "realisee"
    assert p["bilan"]["embauche_proposee"] is True


async def test_une_convention_sans_pmsmp_attend_un_coordinateur(
    plateforme: Plateforme, lecture: SessionFactory
) -> None:
    r = await _poster(
        plateforme,
        corps("rappel_in_review.json", id="if-inconnue-1", siret="99999999999999"),
        _secret(plateforme),
    )
    assert r.json() == {"evenements": 1, "nouveaux": 1, "matched": False}
    ligne = await recu(lecture, "immersion", "if-inconnue-1.signee")
    assert ligne is not None
    assert ligne.statut == StatutReception.A_RAPPROCHER.value
    assert ligne.sujet == "immersion-facilitee:if-inconnue-1"


# --- the prefilled link ---------------------------------------------------------------------

# The query parameters of the « conventionImmersion » route (shared/src/routes/routes.ts)
PARAMETRES_DU_FORMULAIRE = {
    "jwt",
    "skipIntro",
    "conventionId",
    "conventionDraftId",
    "conventionTemplateId",
    "discussionId",
    "agencyDepartment",
    "agencyKind",
    "agencyId",
    "siret",
    "immersionAddress",
    "immersionAppellation",
    "mtm_campaign",
    "mtm_kwd",
}


def test_le_lien_preremplit_le_formulaire_reel_sans_rien_de_la_personne() -> None:
    from urllib.parse import parse_qs, urlsplit

    from core.immersion_facilitee import lien_convention, reglages
    from core.settings import Settings

    convention = ConventionPmsmp(
        entreprise=Entreprise(
            siret="73282932000074",
            raison_sociale="Boulangerie du Lac",
            etablissement="12 rue de la Paix",
            commune="Annecy",
        ),
        tuteur=Tuteur(nom="Dupuis", prenom="Jean", fonction="Chef boulanger"),
        date_debut=date(2026, 12, 7),
        date_fin=date(2026, 12, 18),
        heures_hebdomadaires=35,
        horaires="8 h – 16 h",
        objectif=ObjectifPmsmp.CONFIRMER,
        metier="Boulanger",
    )
    lien = urlsplit(lien_convention(convention, reglages(Settings().partners_file)))
    assert (lien.scheme, lien.netloc, lien.path) == (
        "https",
        "immersion-facile.beta.gouv.fr",
        "/demande-immersion",
    )
    params = {k: v[0] for k, v in parse_qs(lien.query).items()}
    assert set(params) <= PARAMETRES_DU_FORMULAIRE
    assert params["siret"] == "73282932000074"
    assert params["immersionAddress"] == "12 rue de la Paix, Annecy"
    assert params["agencyDepartment"] == "74"
    assert params["agencyKind"] == "conseil-departemental"
    assert "Dupuis" not in lien.query
