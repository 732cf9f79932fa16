"""The notification centre: a handover to Claire shows in her header's count as « Transfert à
accuser »; opening it leads to the parcours and the count goes down; another account cannot
open it; a kind switched off in her preferences leaves the count; an import tells its author
when it finished."""

from __future__ import annotations

import asyncio
import base64
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlmodel import select

from schemas.notifications import SORTES
from store.db import make_engine, session_factory
from store.notifications import Notification, a_recapituler, notifier
from tests.cockpit.conftest import CLAIRE, COORD, HTMX, KARIM, ouvrir, stable
from tests.fixtures.plateforme import Plateforme

SOPHIE = "ref-sophie-girard"


async def attendre(quoi: Callable[[], Awaitable[Any]], message: str, delai_s: float = 30) -> Any:
    """``quoi()`` once it gives something, polled for at most ``delai_s`` seconds."""
    limite = asyncio.get_running_loop().time() + delai_s
    while True:
        if trouve := await quoi():
            return trouve
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.2)


async def notification(plateforme: Plateforme, compte: str, **filtres: Any) -> Notification | None:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            requete = select(Notification).where(Notification.compte_id == compte)
            for champ, valeur in filtres.items():
                requete = requete.where(getattr(Notification, champ) == valeur)
            return (await session.exec(requete)).first()
    finally:
        await engine.dispose()


async def recapitules(plateforme: Plateforme, compte: str) -> list[str]:
    """The kinds counted in the account's e-mail digest today."""
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            return [s.code for s, _ in await a_recapituler(session, compte)]
    finally:
        await engine.dispose()


async def compte_non_lues(client: httpx.AsyncClient) -> int:
    r = await client.get("/notifications/compteur", headers=HTMX)
    assert r.status_code == 200, r.text
    trouve = re.search(r'compteur-notifications">(\d+)', r.text)
    return int(trouve.group(1)) if trouve else 0


async def transfert_a_claire(plateforme: Plateforme) -> tuple[str, Notification]:
    """A parcours of Sophie's handed over to Claire, and Claire's notification of it."""
    async with plateforme.client(SOPHIE) as sophie:
        pid = await ouvrir(sophie)
        await stable(sophie, pid)
        r = await sophie.post(
            f"/api/v1/parcours/{pid}/transferer-referent",
            json={"nouveau_referent_id": CLAIRE, "motif": "Congé de Sophie"},
        )
        assert r.status_code == 200, r.text
    n = await attendre(
        lambda: notification(plateforme, CLAIRE, parcours_id=pid, sorte="transfert_a_accuser"),
        "notification du transfert à Claire",
    )
    return pid, n


async def test_transfert_a_accuser_compte_ouvre_et_se_lit(plateforme: Plateforme) -> None:
    async with plateforme.client(CLAIRE) as claire:
        avant = await compte_non_lues(claire)
        pid, n = await transfert_a_claire(plateforme)
        assert n.lien == f"/parcours/{pid}"
        assert await compte_non_lues(claire) == avant + 1

        page = await claire.get("/notifications")
        assert page.status_code == 200
        assert "Transfert à accuser" in page.text
        assert f"/notifications/{n.id}/ouvrir" in page.text

        async with plateforme.client(KARIM) as karim:  # another's: as if it did not exist
            autre = await karim.post(f"/notifications/{n.id}/ouvrir")
            assert autre.status_code == 404
            assert (await notification(plateforme, CLAIRE, id=n.id)).lue is False  # type: ignore[union-attr]

        ouverte = await claire.post(f"/notifications/{n.id}/ouvrir")
        assert ouverte.status_code == 303
        assert ouverte.headers["location"] == f"/parcours/{pid}"
        assert await compte_non_lues(claire) == avant


async def test_preferences_par_sorte(plateforme: Plateforme) -> None:
    async with plateforme.client(CLAIRE) as claire:
        _pid, n = await transfert_a_claire(plateforme)
        avec = await compte_non_lues(claire)
        assert "transfert_a_accuser" in await recapitules(plateforme, CLAIRE)  # by default
        # every kind but the two put back below (other tests leave Claire notifications of any)
        toutes = [c for c in SORTES if c not in ("transfert_a_accuser", "rattachement_accepte")]
        refus = await claire.post(
            "/notifications/preferences", data={"application": [*toutes, "effacer_tout"]}
        )
        assert refus.status_code == 422
        assert "Sorte de notification inconnue : « effacer_tout »" in refus.text
        assert await compte_non_lues(claire) == avec  # nothing changed

        sans = await claire.post(
            "/notifications/preferences", data={"application": toutes, "courriel": ["rupture"]}
        )
        assert sans.status_code == 200
        assert "Préférences enregistrées" in sans.text
        assert await compte_non_lues(claire) < avec
        assert f"/notifications/{n.id}/ouvrir" not in (await claire.get("/notifications")).text

        assert await recapitules(plateforme, CLAIRE) in ([], ["rupture"])  # the digest too

        remis = await claire.post(
            "/notifications/preferences",
            data={"application": [*toutes, "transfert_a_accuser", "rattachement_accepte"]},
        )
        assert remis.status_code == 200
        assert await compte_non_lues(claire) == avec
        assert await recapitules(plateforme, CLAIRE) == []  # nothing chosen for the digest


CSV = "Nom;Prénom;Date de naissance;CP;Commune\nHorsdu;Département;01/02/1990;69000;Lyon\n"


async def test_import_termine_prevenu(plateforme: Plateforme) -> None:
    async with plateforme.client(COORD) as coord:
        r = await coord.post(
            "/api/v1/imports",
            json={
                "source": "notifications",
                "nom_fichier": "liste.csv",
                "contenu": base64.b64encode(CSV.encode()).decode(),
            },
        )
        assert r.status_code == 201, r.text
        import_id = r.json()["id"]
        confirme = await coord.post(f"/api/v1/imports/{import_id}/confirmer")
        assert confirme.status_code == 202, confirme.text
        n = await attendre(
            lambda: notification(
                plateforme, COORD, sorte="import_termine", lien=f"/imports/{import_id}"
            ),
            "notification de fin d'import",
        )
        assert n.titre == "Import terminé : liste.csv"
        assert n.texte == "1 ligne rejetée."


YANN = "ref-yann-garnier"


async def _noter_pour_yann(plateforme: Plateforme, marque: str, combien: int) -> None:
    """``combien`` unread notifications for Yann, written one after the other (the last is the
    most recent), each titled with ``marque`` and its number."""
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            for i in range(combien):
                assert await notifier(
                    session,
                    cle=f"{marque}-{i}",
                    compte_id=YANN,
                    sorte="note_adressee",
                    titre=f"{marque} {i:02d}",
                    texte="Une note pour le test des pages",
                    lien_explicite="/notifications",
                )
    finally:
        await engine.dispose()


async def test_plus_de_cinquante_notifications_se_lisent_page_par_page(
    plateforme: Plateforme,
) -> None:
    marque = "Page" + secrets.token_hex(3)
    await _noter_pour_yann(plateforme, marque, 55)
    async with plateforme.client(YANN) as yann:
        premiere = await yann.get("/notifications")
        assert premiere.status_code == 200
        titres = re.findall(rf"{marque} (\d\d)", premiere.text)
        # the 50 most recent unread first; the 5 oldest wait on page 2, not lost
        assert sorted({int(t) for t in titres}) == list(range(5, 55))
        assert "Pagination des notifications" in premiere.text

        seconde = await yann.get("/notifications", params={"page": 2})
        assert seconde.status_code == 200
        assert {int(t) for t in re.findall(rf"{marque} (\d\d)", seconde.text)} == set(range(5))
        assert "page 2 sur " in seconde.text

        # reading one on page 2 redraws page 2, where the unread ones are still shown
        n = await notification(plateforme, YANN, titre=f"{marque} 03")
        assert n is not None
        assert n.id is not None
        lue = await yann.post(f"/notifications/{n.id}/lue", params={"page": 2}, headers=HTMX)
        assert lue.status_code == 200
        carte = lue.text.split(f'id="notification-{n.id}"')[1].split("</li>")[0]
        assert "Non lue" not in carte
        assert lue.text.index(f"{marque} 00") < lue.text.index(f"{marque} 03")  # read: last

        hors = await yann.get("/notifications", params={"page": 0})
        assert hors.status_code == 422
        assert [e["champ"] for e in hors.json()["erreurs"]] == ["page"]
