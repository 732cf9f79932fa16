"""The dossier unique partagé over the API (issue 17, items 1 and 2): the référent invites a
professional of another structure, who reads the dossier without the health and justice
answers and writes notes but advances nothing; consent withdrawn or leaving the team cuts
access at the next request; « se rattacher » tells nothing about who has a parcours; notes
are dated, authored, visible to the team or to the référent alone, editable for a short
while, then only amendable, in the right-of-access export, and gone with anonymisation."""

from __future__ import annotations

import asyncio
import base64
import secrets
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlmodel import col, select

from schemas.retention import BilanAnonymisation
from store.db import ecriture, make_engine, session_factory
from store.equipe import DemandeRattachementRow, NoteRow
from store.notifications import Notification
from store.parcours import ParcoursRow
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.pieces.test_pieces import un_pdf
from tests.securite.test_sante_justice import SENSIBLES, _commande, _parcours_avec_sante
from web.securite.limites import reglages

KARIM = "ref-karim-benali"  # France Travail, another structure than Claire's (CD)
LEA = "ref-lea-dubois"  # Mission Locale
MARC = "ref-marc-roux"  # Cap Emploi


async def _lignes(plateforme: Plateforme, requete: Any) -> list[Any]:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            return list((await session.exec(requete)).all())
    finally:
        await engine.dispose()


async def _vieillir_note(plateforme: Plateforme, note_id: str) -> None:
    """The note was written an hour ago: past the delay of rules/equipe.yaml."""
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            await ecriture(session)
            note = await session.get(NoteRow, note_id)
            assert note is not None
            note.ecrite_le = datetime.now(UTC) - timedelta(hours=1)
            session.add(note)
            await session.commit()
    finally:
        await engine.dispose()


async def _projete(plateforme: Plateforme, pid: str) -> None:
    limite = asyncio.get_running_loop().time() + 30
    while not await _lignes(plateforme, select(ParcoursRow).where(ParcoursRow.id == pid)):
        assert asyncio.get_running_loop().time() < limite, "parcours jamais projeté"
        await asyncio.sleep(0.1)


async def _notifications(plateforme: Plateforme, compte: str, sorte: str) -> list[Notification]:
    return await _lignes(
        plateforme,
        select(Notification).where(
            # by its kind, as the notification centre and the preferences read it
            Notification.compte_id == compte,
            col(Notification.sorte) == sorte,
        ),
    )


async def _inviter(claire: httpx.AsyncClient, pid: str, compte: str, role: str) -> httpx.Response:
    return await claire.post(
        f"/api/v1/parcours/{pid}/ajouter-membre",
        json={"compte_id": compte, "role": role, "telephone": "04 50 00 00 01"},
    )


async def test_un_conseiller_invite_lit_sans_la_sante_ecrit_une_note_et_perd_l_acces(
    plateforme: Plateforme,
) -> None:
    today = date.today()
    async with (
        plateforme.client("ref-claire-martin") as claire,
        plateforme.client(KARIM) as karim,
    ):
        pid = await _parcours_avec_sante(claire, today)
        assert (await karim.get(f"/api/v1/parcours/{pid}")).status_code == 404

        r = await _inviter(claire, pid, KARIM, "conseiller_france_travail")
        assert r.status_code == 200, r.text

        lu = await karim.get(f"/api/v1/parcours/{pid}")
        assert lu.status_code == 200, lu.text
        assert not [s for s in SENSIBLES if s in lu.text], "santé ou justice lue par un membre"
        assert lu.json()["commandes"] == [], "un membre ne fait pas avancer le parcours"
        contact = await karim.post(
            f"/api/v1/parcours/{pid}/enregistrer-contact",
            json={"le": today.isoformat(), "mode": "telephone", "objet": "Nouvelles"},
        )
        assert contact.status_code == 403, contact.text

        equipe = (await karim.get(f"/api/v1/parcours/{pid}/equipe")).json()
        assert equipe["referent"]["nom"] == "Claire Martin"
        assert equipe["referent"]["email"] == "claire.martin@hautesavoie.fr"
        (membre,) = equipe["membres"]
        assert (membre["nom"], membre["structure"], membre["role_libelle"]) == (
            "Karim Benali",
            "France Travail",
            "Conseiller France Travail",
        )
        assert (membre["email"], membre["telephone"]) == (
            "karim.benali@francetravail.fr",
            "04 50 00 00 01",
        )

        note = await karim.post(
            f"/api/v1/parcours/{pid}/notes",
            json={
                "texte": "Inscription confirmée, atelier CV le 12",
                "destinataire_id": "ref-claire-martin",
            },
        )
        assert note.status_code == 201, note.text
        note_id = note.json()["id"]
        assert note.json()["auteur_nom"] == "Karim Benali"
        assert note.json()["modifiable"]
        (adressee,) = await _notifications(plateforme, "ref-claire-martin", "note_adressee")
        assert adressee.lien == f"/parcours/{pid}#notes"

        secrete = await claire.post(
            f"/api/v1/parcours/{pid}/notes",
            json={"texte": "Pour moi seule : échéance RSA", "visibilite": "referent"},
        )
        assert secrete.status_code == 201, secrete.text
        vues_karim = [n["texte"] for n in (await karim.get(f"/api/v1/parcours/{pid}/notes")).json()]
        vues_claire = [
            n["texte"] for n in (await claire.get(f"/api/v1/parcours/{pid}/notes")).json()
        ]
        assert vues_karim == ["Inscription confirmée, atelier CV le 12"]
        assert set(vues_claire) == {"Pour moi seule : échéance RSA", *vues_karim}
        cherche = await claire.get(f"/api/v1/parcours/{pid}/notes", params={"q": "ATELIER"})
        assert [n["id"] for n in cherche.json()] == [note_id]

        corrige = {"texte": "Inscription confirmée, atelier CV le 14"}
        assert (
            await claire.patch(f"/api/v1/parcours/{pid}/notes/{note_id}", json=corrige)
        ).status_code == 403
        r = await karim.patch(f"/api/v1/parcours/{pid}/notes/{note_id}", json=corrige)
        assert r.status_code == 200, r.text
        assert r.json()["modifiee_le"]
        await _vieillir_note(plateforme, note_id)
        fige = await karim.patch(f"/api/v1/parcours/{pid}/notes/{note_id}", json={"texte": "Autre"})
        assert fige.status_code == 409, fige.text
        assert "amendez-la" in fige.json()["message"]
        amende = await claire.post(
            f"/api/v1/parcours/{pid}/notes/{note_id}/amendements",
            json={"texte": "Atelier reporté au 21"},
        )
        assert amende.status_code == 201, amende.text
        assert amende.json()["amende"] == note_id

        export = await claire.get(f"/api/v1/parcours/{pid}/export")
        assert {n["texte"] for n in export.json()["notes"]} >= {
            "Inscription confirmée, atelier CV le 14",
            "Pour moi seule : échéance RSA",
            "Atelier reporté au 21",
        }

        consentement = {"partage_partenaires": False, "themes_sensibles": True}
        await _commande(
            claire,
            pid,
            "modifier-consentement",
            consentement | {"recueilli_le": today.isoformat()},
        )
        for refus in (
            await karim.get(f"/api/v1/parcours/{pid}"),
            await karim.get(f"/api/v1/parcours/{pid}/notes"),
            await karim.post(f"/api/v1/parcours/{pid}/notes", json={"texte": "Encore moi"}),
        ):
            assert refus.status_code == 404, refus.text


async def test_quitter_l_equipe_coupe_l_acces(plateforme: Plateforme) -> None:
    today = date.today()
    async with plateforme.client("ref-claire-martin") as claire, plateforme.client(MARC) as marc:
        cree = await claire.post(
            "/api/v1/parcours",
            json=donnees.accueil(today, nom="Equipe" + secrets.token_hex(3))
            | {"doublon_confirme": True},
        )
        pid = cree.json()["id"]
        assert (await _inviter(claire, pid, MARC, "conseiller_cap_emploi")).status_code == 200
        assert (await marc.get(f"/api/v1/parcours/{pid}")).status_code == 200
        r = await claire.post(
            f"/api/v1/parcours/{pid}/retirer-membre", json={"compte_id": MARC, "motif": "Fin"}
        )
        assert r.status_code == 200, r.text
        assert (await marc.get(f"/api/v1/parcours/{pid}")).status_code == 404
        equipe = (await claire.get(f"/api/v1/parcours/{pid}/equipe")).json()
        assert equipe["membres"] == []
        assert equipe["anciens_membres"][0]["au"] == today.isoformat()


async def test_se_rattacher_ne_dit_pas_qui_a_un_parcours(plateforme: Plateforme) -> None:
    today = date.today()
    nom = "Rattache" + secrets.token_hex(3)
    async with (
        plateforme.client("ref-claire-martin") as claire,
        plateforme.client(LEA) as lea,
        plateforme.client(MARC) as marc,
    ):
        accueil = donnees.accueil(today, nom=nom) | {"doublon_confirme": True}
        pid = (await claire.post("/api/v1/parcours", json=accueil)).json()["id"]
        await _projete(plateforme, pid)  # the search reads the read model
        identite = {"nom": nom.upper(), "prenom": "julie", "date_naissance": "1985-06-02"}
        demande = identite | {"role": "conseiller_mission_locale", "telephone": "04 50 11 22 33"}
        trouve = await lea.post("/api/v1/rattachements", json=demande)
        inconnu = await lea.post("/api/v1/rattachements", json=demande | {"nom": "Personne" + nom})
        assert trouve.status_code == inconnu.status_code == 202
        assert trouve.json() == inconnu.json(), "la réponse dit si la personne a un parcours"
        assert pid not in trouve.text

        incomplete = await lea.post("/api/v1/rattachements", json={"nom": nom, "role": "tuteur"})
        assert incomplete.status_code == 422
        assert incomplete.json()["erreurs"][0]["champ"].endswith("prenom"), incomplete.text

        (demande_lea,) = (await claire.get(f"/api/v1/parcours/{pid}/rattachements")).json()
        assert demande_lea["structure"] == "Mission Locale"
        assert (demande_lea["nom"], demande_lea["role"]) == (
            "Léa Dubois",
            "conseiller_mission_locale",
        )
        assert await _notifications(plateforme, "ref-claire-martin", "demande_rattachement")
        assert (await lea.get(f"/api/v1/parcours/{pid}/rattachements")).status_code == 404

        refus = await claire.post(
            f"/api/v1/parcours/{pid}/rattachements/{demande_lea['id']}/refuser"
        )
        assert refus.status_code == 204, refus.text
        assert await _notifications(plateforme, LEA, "rattachement_refuse")
        assert (await lea.get(f"/api/v1/parcours/{pid}")).status_code == 404

        caf = {"identifiants": {"france_travail": accueil["identifiants"]["france_travail"]}}
        r = await marc.post("/api/v1/rattachements", json=caf | {"role": "conseiller_cap_emploi"})
        assert r.json() == trouve.json()
        (demande_marc,) = (await claire.get(f"/api/v1/parcours/{pid}/rattachements")).json()
        accepte = await claire.post(
            f"/api/v1/parcours/{pid}/rattachements/{demande_marc['id']}/accepter"
        )
        assert accepte.status_code == 200, accepte.text
        assert await _notifications(plateforme, MARC, "rattachement_accepte")
        assert (await marc.get(f"/api/v1/parcours/{pid}")).status_code == 200
        libelles = [e["libelle"] for e in accepte.json()["etat"]["timeline"]]
        assert any("Marc Roux" in x and "sur sa demande" in x for x in libelles), libelles


async def test_l_anonymisation_supprime_les_notes_et_les_demandes(
    plateforme_a_part: Plateforme,
) -> None:
    today = date.today()
    async with (
        plateforme_a_part.client("ref-claire-martin") as claire,
        plateforme_a_part.client(KARIM) as karim,
    ):
        nom = "Anonyme" + secrets.token_hex(3)
        accueil = donnees.accueil(today, nom=nom) | {"doublon_confirme": True}
        pid = (await claire.post("/api/v1/parcours", json=accueil)).json()["id"]
        assert (await _inviter(claire, pid, KARIM, "conseiller_france_travail")).status_code == 200
        r = await karim.post(f"/api/v1/parcours/{pid}/notes", json={"texte": f"Vu {nom} ce matin"})
        assert r.status_code == 201, r.text
        identite = {"nom": nom, "prenom": "Julie", "date_naissance": "1985-06-02"}
        async with plateforme_a_part.client(LEA) as lea:
            await lea.post("/api/v1/rattachements", json=identite | {"role": "tuteur"})
        sortie = {"le": today.isoformat(), "motif": "demenagement"}
        await _commande(claire, pid, "prononcer-sortie", sortie)
    assert await _lignes(plateforme_a_part, select(NoteRow).where(NoteRow.parcours_id == pid))
    await _anonymiser(plateforme_a_part, pid)
    assert not await _lignes(plateforme_a_part, select(NoteRow).where(NoteRow.parcours_id == pid))
    demandes = select(DemandeRattachementRow).where(DemandeRattachementRow.parcours_id == pid)
    assert not await _lignes(plateforme_a_part, demandes)


async def test_trop_de_demandes_de_rattachement(plateforme: Plateforme) -> None:
    """Asking, found or not, is limited per account and per hour: past the limit, a 429 that
    says when to come back, in French and in « Retry-After »."""
    maximum = reglages(plateforme.settings)["rattachement"].maximum
    demande = {"prenom": "Julie", "date_naissance": "1985-06-02", "role": "tuteur"}
    async with plateforme.client(KARIM) as karim:
        for _ in range(maximum):
            nom = "Personne" + secrets.token_hex(3)
            r = await karim.post("/api/v1/rattachements", json=demande | {"nom": nom})
            assert r.status_code == 202, r.text
        r = await karim.post("/api/v1/rattachements", json=demande | {"nom": "Personne"})
    assert r.status_code == 429, r.text
    assert "Trop de demandes de rattachement en une heure : réessayez dans" in r.json()["message"]
    assert 0 < int(r.headers["retry-after"]) <= 3600


async def _anonymiser(plateforme: Plateforme, pid: str) -> None:
    """The nightly run with a delay of 0 days, once the closing is in the read model."""
    clos = select(ParcoursRow).where(ParcoursRow.id == pid, col(ParcoursRow.clos_le).is_not(None))
    limite = asyncio.get_running_loop().time() + 30
    while not await _lignes(plateforme, clos):
        assert asyncio.get_running_loop().time() < limite, "clôture jamais projetée"
        await asyncio.sleep(0.1)
    for _ in range(40):
        bilan = await plateforme.env.client.execute_workflow(
            "Retention",
            0,
            id=f"retention-{uuid.uuid4()}",
            task_queue=plateforme.task_queue,
            result_type=BilanAnonymisation,
        )
        rows = await _lignes(plateforme, select(ParcoursRow).where(ParcoursRow.id == pid))
        if rows and rows[0].anonymise:
            return
        assert bilan.anonymises, "la rétention n'a pas anonymisé ce parcours"
    raise AssertionError("parcours jamais anonymisé")


async def test_le_referent_apprend_ce_que_l_equipe_ajoute(plateforme: Plateforme) -> None:
    """The invited professional is told; a member's note or document becomes a notification of
    the référent, naming neither the note's text nor the file's name; what the référent adds
    herself does not."""
    today = date.today()
    async with plateforme.client("ref-claire-martin") as claire, plateforme.client(LEA) as lea:
        cree = await claire.post(
            "/api/v1/parcours",
            json=donnees.accueil(today, nom="Activite" + secrets.token_hex(3))
            | {"doublon_confirme": True},
        )
        assert cree.status_code == 201, cree.text
        pid = cree.json()["id"]
        assert (await _inviter(claire, pid, LEA, "conseiller_mission_locale")).status_code == 200
        await _projete(plateforme, pid)

        propre = await claire.post(f"/api/v1/parcours/{pid}/notes", json={"texte": "Bilan fait"})
        assert propre.status_code == 201, propre.text
        note = await lea.post(
            f"/api/v1/parcours/{pid}/notes", json={"texte": "Garantie jeunes : dossier déposé"}
        )
        assert note.status_code == 201, note.text
        piece = await lea.post(
            f"/api/v1/parcours/{pid}/documents",
            json={
                "type": "cv",
                "nom_fichier": "cv-dupont-jean.pdf",
                "contenu": base64.b64encode(un_pdf("CV")).decode(),
            },
        )
        assert piece.status_code == 201, piece.text

    recues = await _notifications(plateforme, "ref-claire-martin", "activite_equipe")
    mien = [n for n in recues if n.parcours_id == pid]
    assert sorted(n.texte for n in mien) == [
        f"Léa Dubois a ajouté un document (CV) au parcours {pid[:8]}.",
        f"Léa Dubois a ajouté une note au parcours {pid[:8]}.",
    ]
    assert {n.lien for n in mien} == {f"/parcours/{pid}#notes", f"/parcours/{pid}#documents"}
    assert await _notifications(plateforme, LEA, "activite_equipe") == []

    async def invitee() -> list[Notification]:  # written by the worker, after the command
        return await _lignes(
            plateforme,
            select(Notification).where(
                Notification.compte_id == LEA,
                Notification.sorte == "ajout_equipe",
                Notification.parcours_id == pid,
            ),
        )

    limite = asyncio.get_running_loop().time() + 30
    while not (invitation := await invitee()):
        assert asyncio.get_running_loop().time() < limite, "Léa n'a jamais su qu'elle est invitée"
        await asyncio.sleep(0.2)
    assert [n.texte for n in invitation] == [
        f"Claire Martin vous ajoute à l'équipe de suivi du parcours {pid[:8]} (Conseiller "
        "Mission Locale) : vous pouvez lire le dossier et y écrire des notes."
    ]
    assert invitation[0].lien == f"/parcours/{pid}"
