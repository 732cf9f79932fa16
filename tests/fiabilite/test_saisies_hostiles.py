"""Bad input in bulk, in every field of every endpoint: the JSON API, the cockpit's forms (a
real session with its CSRF token) and the partner event API (validly signed).

* characters nobody types (NUL, terminal escapes, C1 controls, lone surrogates escaped in JSON,
  bidirectional overrides, noncharacters) and strings far beyond any field's length: refused
  with 422, the field named, a French message — and nothing stored: the parcours' timeline
  and version, its read-model row and its audit trail are the same afterwards;
* wrong types and malformed JSON: a 4xx, never a 500;
* odd but valid text (accents, emoji, combining marks, other scripts, SQL, template and HTML
  syntax): accepted, kept as typed, rendered escaped and never evaluated.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from html import unescape
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlmodel import col, func, select

from partenaires.signature import signer
from store.audit import EntreeAudit
from store.db import make_engine, session_factory
from store.evenements_partenaires import EvenementRecu
from store.parcours import ParcoursRow
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.partenaires.outils import evenement, numero_caf, partenaires
from tests.securite.corps import commandes, formulaire
from tests.securite.outils import connecte

CLAIRE = "ref-claire-martin"
INTERDITS = {
    "nul": "Dupont\x00",
    "echappement_terminal": "\x1b[2J\x1b[31mrouge",
    "controle_c1": "a\x85b",
    "surrogate_isole": "\ud800",  # json.dumps escapes it: « "\ud800" » on the wire
    "surcharge_bidi": "\u202eexe.pdf",
    "isolat_bidi": "abc\u2066def\u2069",
    "non_caractere": "fin\uffff",
}
ENORME = "x" * 20_000  # ten times the longest text field
TYPES_FAUX = [123, 1.5, True, [], {}, ["liste"], {"objet": 1}, "2026-02-30", "", -1]
CORPS_MAL_FORMES = [
    b"{",
    b'{"le": ',
    b"nul",
    b"[]",
    b'"texte"',
    b"\xff\xfe\x00{",
    b'{"le": NaN}',
    b'{"a": 1, "a": 2',
    b"{" * 5000,
]
ACCEPTES = {
    "accents": "Éléonore-Françoise d'Aubigné",
    "emoji": "Zoé 👩🏽‍💻 🇫🇷",
    "combinants": "Ame\u0301lie Nguye\u0302\u0303n",
    "sql": "O'Brien' OR 1=1 --",
    "gabarit": "{{7*7}} ${7*7} {% raw %}",
    "html": "<script>alert(1)</script><b>gras</b>",
    "autres_ecritures": "محمد 李雷 Ελένη",
}
ANGLAIS = re.compile(r"Input should|Field required|Value error|String should", re.I)


def feuilles(valeur: Any, chemin: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a JSON body, with its dotted path (the form the refusals name)."""
    if isinstance(valeur, dict):
        for cle, sous in valeur.items():
            yield from feuilles(sous, f"{chemin}.{cle}" if chemin else cle)
    elif isinstance(valeur, list) and valeur:
        for i, sous in enumerate(valeur):
            yield from feuilles(sous, f"{chemin}.{i}")
    else:
        yield chemin, valeur


def remplacer(corps: Any, chemin: str, valeur: Any) -> Any:
    copie = copy.deepcopy(corps)
    *parents, dernier = chemin.split(".")
    ici = copie
    for p in parents:
        ici = ici[int(p)] if isinstance(ici, list) else ici[p]
    if isinstance(ici, list):
        ici[int(dernier)] = valeur
    else:
        ici[dernier] = valeur
    return copie


def _francais_et_nomme(r: httpx.Response, chemin: str | None) -> str | None:
    """None when the refusal is a clear one: French message, the field named."""
    corps = r.json()
    if not corps.get("message") or ANGLAIS.search(json.dumps(corps, ensure_ascii=False)):
        return f"message absent ou en anglais : {r.text[:200]}"
    if chemin is None:
        return None
    champs = [e["champ"] for e in corps.get("erreurs", [])]
    if not any(
        c == chemin or c.startswith(f"{chemin}.") or chemin.startswith(f"{c}.") for c in champs
    ):
        return f"le champ « {chemin} » n'est pas nommé : {champs}"
    return None


async def _poster(client: httpx.AsyncClient, url: str, corps: Any) -> httpx.Response:
    # ensure_ascii: a lone surrogate travels escaped, as a JSON client would send it
    return await client.post(
        url, content=json.dumps(corps).encode(), headers={"content-type": "application/json"}
    )


class Temoin:
    """What must not move when a request is refused: the parcours as Temporal holds it, its
    read-model row, and the writes in its audit trail."""

    def __init__(self, plateforme: Plateforme, client: httpx.AsyncClient, pid: str) -> None:
        self.p, self.client, self.pid = plateforme, client, pid

    async def releve(self) -> tuple[Any, ...]:
        etat = (await self.client.get(f"/api/v1/parcours/{self.pid}")).json()["etat"]
        engine = make_engine(self.p.settings.effective_database_url)
        try:
            async with session_factory(engine)() as session:
                row = await session.get(ParcoursRow, self.pid)
                ecritures = (
                    await session.exec(
                        select(func.count())
                        .select_from(EntreeAudit)
                        .where(
                            EntreeAudit.objet == f"parcours:{self.pid}",
                            col(EntreeAudit.action) == "ecriture",
                        )
                    )
                ).one()
        finally:
            await engine.dispose()
        assert row is not None
        return (
            etat.get("version_metier"),
            json.dumps(etat["timeline"], sort_keys=True),
            json.dumps(etat["usager"], sort_keys=True),
            row.version,
            row.nom,
            int(ecritures),
        )

    async def stable(self) -> tuple[Any, ...]:
        """Once the projection and the vigie of the last command have settled."""
        avant = await self.releve()
        for _ in range(100):
            await asyncio.sleep(0.3)
            if (maintenant := await self.releve()) == avant:
                return maintenant
            avant = maintenant
        raise AssertionError("le parcours ne se stabilise pas")


async def _ouvrir(client: httpx.AsyncClient, nom: str) -> str:
    r = await client.post(
        "/api/v1/parcours", json=donnees.accueil(date.today(), nom=nom) | {"doublon_confirme": True}
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest_asyncio.fixture(scope="module")
async def dossiers(plateforme: Plateforme) -> dict[str, str]:
    """An open parcours of Claire's (at accueil), and a closed one."""
    async with plateforme.client(CLAIRE) as claire:
        ouvert = await _ouvrir(claire, "Hostile" + secrets.token_hex(3).upper())
        clos = await _ouvrir(claire, "HostileClos" + secrets.token_hex(3).upper())
        sortie = await claire.post(
            f"/api/v1/parcours/{clos}/prononcer-sortie",
            json={"le": date.today().isoformat(), "motif": "demenagement"},
        )
        assert sortie.status_code == 200, sortie.text
    return {"ouvert": ouvert, "clos": clos}


async def test_caracteres_interdits_et_textes_enormes_refuses_partout_sans_rien_ecrire(
    plateforme: Plateforme, dossiers: dict[str, str]
) -> None:
    pid = dossiers["ouvert"]
    jour = date.today()
    corps_par_route = {
        f"/api/v1/parcours/{pid}/{nom.replace('_', '-')}": corps
        for nom, corps in commandes(jour).items()
    }
    corps_par_route["/api/v1/parcours"] = donnees.accueil(jour, nom="NePasOuvrir") | {
        "referent_id": CLAIRE
    }
    corps_par_route["/api/v1/incidents/relance"] = {"partenaire": "sms"}
    corps_par_route["/api/v1/partners/caf/events/inconnu/rattacher"] = {"parcours_id": pid}
    async with plateforme.client(CLAIRE) as claire, plateforme.client("admin") as admin:
        temoin = Temoin(plateforme, claire, pid)
        avant = await temoin.stable()
        total_avant = (await admin.get("/api/v1/parcours", params={"q": "NePasOuvrir"})).json()
        erreurs = []
        for url, corps in corps_par_route.items():
            for chemin, valeur in feuilles(corps):
                essais = dict(INTERDITS)
                if isinstance(valeur, str):
                    essais["enorme"] = ENORME
                for nom, hostile in essais.items():
                    r = await _poster(claire, url, remplacer(corps, chemin, hostile))
                    if r.status_code != 422:
                        erreurs.append(f"{url} {chemin} {nom} : {r.status_code} {r.text[:150]}")
                    elif probleme := _francais_et_nomme(r, chemin):
                        erreurs.append(f"{url} {chemin} {nom} : {probleme}")
        assert not erreurs, "\n".join(erreurs[:40])
        assert await temoin.releve() == avant  # nothing reached the parcours
        apres = (await admin.get("/api/v1/parcours", params={"q": "NePasOuvrir"})).json()
        assert apres["total"] == total_avant["total"] == 0  # no accueil went through


async def test_mauvais_types_et_json_mal_forme_toujours_4xx(
    plateforme: Plateforme, dossiers: dict[str, str]
) -> None:
    """On the closed parcours, where a body that happens to be valid changes nothing: refused
    for being closed (409), or as not Claire's to give (403)."""
    pid = dossiers["clos"]
    erreurs = []
    async with plateforme.client(CLAIRE) as claire:
        for nom, corps in commandes(date.today()).items():
            url = f"/api/v1/parcours/{pid}/{nom.replace('_', '-')}"
            for chemin, _ in feuilles(corps):
                for faux in TYPES_FAUX:
                    r = await _poster(claire, url, remplacer(corps, chemin, faux))
                    if r.status_code not in (403, 409, 422):
                        erreurs.append(f"{nom} {chemin}={faux!r} : {r.status_code} {r.text[:120]}")
                    elif r.status_code == 422 and (probleme := _francais_et_nomme(r, None)):
                        erreurs.append(f"{nom} {chemin}={faux!r} : {probleme}")
            for brut in CORPS_MAL_FORMES:
                r = await claire.post(
                    url, content=brut, headers={"content-type": "application/json"}
                )
                if r.status_code != 422 or _francais_et_nomme(r, None):
                    erreurs.append(f"{nom} corps {brut[:12]!r} : {r.status_code} {r.text[:120]}")
    assert not erreurs, "\n".join(erreurs[:40])


@pytest.mark.parametrize(
    ("chemin", "parametres", "champ"),
    [
        ("/api/v1/parcours", {"q": "Dupont\x00"}, "q"),
        ("/api/v1/parcours", {"q": "\u202eabc"}, "q"),
        ("/api/v1/parcours", {"offset": str(10**30)}, "offset"),
        ("/api/v1/parcours", {"limit": "-1"}, "limit"),
        ("/api/v1/parcours", {"tri": "nom; DROP TABLE parcours --"}, None),
        ("/api/v1/parcours", {"territoire": "{{7*7}}"}, "territoire"),
        ("/api/v1/parcours", {"q": "x" * 5000}, "q"),
        ("/api/v1/audit", {"objet": "parcours:\x00"}, "objet"),
        ("/api/v1/audit", {"du": "0000-01-01"}, "du"),
        ("/api/v1/audit/export.csv", {"du": "0001-01-01", "au": "0001-01-01"}, "du"),
        ("/api/v1/audit", {"au": "9999-12-31"}, "au"),
        ("/api/v1/incidents", {"offset": "1e400"}, "offset"),
        ("/api/v1/partners/a-rapprocher", {"offset": str(2**63)}, "offset"),
        ("/api/v1/observatoire/indicateurs", {"au": "0001-01-01"}, "au"),
        ("/api/v1/observatoire/indicateurs", {"cohorte": "0000-01"}, "cohorte"),
        ("/api/v1/catalogue/services", {"commune": "' OR 1=1 --"}, "commune"),
    ],
)
async def test_parametres_hostiles_refuses_par_leur_nom(
    plateforme: Plateforme, chemin: str, parametres: dict[str, str], champ: str | None
) -> None:
    async with plateforme.client("admin") as admin:
        r = await admin.get(chemin, params=parametres)
    assert r.status_code == 422, r.text
    assert _francais_et_nomme(r, champ) is None, r.text


async def test_codec_et_corps_non_utf8(plateforme: Plateforme) -> None:
    async with plateforme.client("admin") as admin:
        for corps, champ in [
            (
                {"payloads": [{"metadata": {"encoding": "!!"}, "data": ""}]},
                "payloads.0.metadata.encoding",
            ),
            ({"payloads": [{"metadata": {}, "data": "pas du base64"}]}, "payloads.0.data"),
            (
                {
                    "payloads": [
                        {"metadata": {"encoding": "YmluYXJ5L2VuY3J5cHRlZA=="}, "data": "AAAA"}
                    ]
                },
                "payloads.0",
            ),
        ]:
            r = await admin.post("/codec/decode", json=corps)
            assert r.status_code == 422, r.text
            assert _francais_et_nomme(r, champ) is None, r.text
        r = await admin.post(
            "/api/v1/incidents/relance",
            content=b"\xff\xfe",
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 422, r.text
        assert _francais_et_nomme(r, "corps") is None

        async def morceaux() -> AsyncIterator[bytes]:  # streamed: no Content-Length announced
            yield b'{"partenaire": "'
            for _ in range(17):
                yield b"x" * 65536
            yield b'"}'

        trop = await admin.post(
            "/api/v1/incidents/relance",
            content=morceaux(),
            headers={"content-type": "application/json"},
        )
        assert trop.status_code == 413, trop.text


async def test_textes_inhabituels_acceptes_et_rendus_echappes(plateforme: Plateforme) -> None:
    jour = date.today()
    async with plateforme.client(CLAIRE) as claire:
        for nom, texte in ACCEPTES.items():
            corps = donnees.accueil(jour, nom=f"Rare{nom.title().replace('_', '')}", prenom=texte)
            cree = await claire.post("/api/v1/parcours", json=corps | {"besoins_exprimes": texte})
            assert cree.status_code == 201, (nom, cree.text)
            pid = cree.json()["id"]
            assert cree.json()["etat"]["usager"]["prenom"] == texte.strip(), nom  # kept as typed
            contact = {"le": jour.isoformat(), "mode": "telephone", "objet": texte}
            r = await claire.post(f"/api/v1/parcours/{pid}/enregistrer-contact", json=contact)
            assert r.status_code == 200, (nom, r.text)
            for page in (f"/parcours/{pid}", f"/parcours/{pid}/fragments/timeline"):
                html = (await claire.get(page)).text
                assert unescape(html).count(texte) >= 1, (nom, page)  # shown, as typed
                assert "<script>alert(1)" not in html, page  # escaped, never markup
                assert "<b>gras</b>" not in html, page
            if nom == "gabarit":
                assert "{{7*7}}" in (await claire.get(f"/parcours/{pid}")).text  # not evaluated
            liste = await claire.get("/api/v1/parcours", params={"q": texte[:40]})
            assert liste.status_code == 200, liste.text  # searching for it is no injection


async def test_formulaires_du_cockpit_avec_jeton_csrf(
    plateforme: Plateforme, dossiers: dict[str, str]
) -> None:
    pid = dossiers["ouvert"]
    jour = date.today().isoformat()
    action = f"/parcours/{pid}/commandes/enregistrer_contact"
    async with (
        connecte(plateforme.base_url, "claire.martin@hautesavoie.fr") as (navigateur, csrf),
        plateforme.client(CLAIRE) as claire,
    ):
        temoin = Temoin(plateforme, claire, pid)
        avant = await temoin.stable()
        entetes_htmx = {"HX-Request": "true", "X-CSRF-Token": csrf}
        for nom, hostile in INTERDITS.items():
            if nom == "surrogate_isole":
                continue  # a form cannot carry one: browsers send U+FFFD instead
            for champ in ("objet", "le", "mode"):
                champs = {"le": jour, "mode": "telephone", "objet": "Appel", champ: hostile}
                r = await navigateur.post(action, data=champs, headers=entetes_htmx)
                assert r.status_code == 422, (nom, champ, r.status_code, r.text[:200])
                assert f"« {champ} »" in unescape(r.text), (nom, champ)
        r = await navigateur.post(
            action, data={"le": jour, "mode": "telephone", "objet": ENORME}, headers=entetes_htmx
        )
        assert r.status_code == 422, r.text[:200]
        accueil = formulaire(donnees.accueil(date.today(), nom="Forme\x00"))
        r = await navigateur.post("/parcours/nouveau", data=dict(accueil), headers=entetes_htmx)
        assert r.status_code == 422, r.text[:200]
        assert "usager.nom" in r.text
        assert await temoin.releve() == avant

        texte = ACCEPTES["gabarit"] + " " + ACCEPTES["html"] + " " + ACCEPTES["emoji"]
        r = await navigateur.post(
            action, data={"le": jour, "mode": "telephone", "objet": texte}, headers=entetes_htmx
        )
        assert r.status_code == 200, r.text[:300]
        fil = (await navigateur.get(f"/parcours/{pid}/fragments/timeline")).text
        assert "<script>alert(1)" not in fil
        assert texte in unescape(fil)


async def test_evenements_partenaires_signes_mais_hostiles(plateforme: Plateforme) -> None:
    """Validly signed by the CAF: the signature proves who sent it, not that it is sane."""
    base = evenement(
        plateforme, "caf", "fr.caf.rsa.droits-ouverts", numero_caf(), {"date_effet": "2026-12-01"}
    )
    secret = partenaires(plateforme)["caf"].secret
    assert secret is not None
    erreurs = []
    ids: list[str] = []
    async with plateforme.client() as partenaire:

        async def envoyer(ev: Any, id_: str) -> httpx.Response:
            corps = json.dumps(ev).encode()
            horodatage = str(int(time.time()))
            return await partenaire.post(
                "/api/v1/partners/caf/events",
                content=corps,
                headers={
                    "content-type": "application/cloudevents+json",
                    "webhook-id": id_,
                    "webhook-timestamp": horodatage,
                    "webhook-signature": signer(secret, id_, horodatage, corps),
                },
            )

        for chemin, valeur in feuilles(base):
            essais: dict[str, Any] = dict(INTERDITS)
            essais |= {f"type_{i}": t for i, t in enumerate(TYPES_FAUX) if t != valeur}
            if isinstance(valeur, str):
                essais["enorme"] = "x" * 300_000  # beyond the partner API's 256 KiB
            for nom, hostile in essais.items():
                id_ = f"hostile-{uuid.uuid4()}"
                ev = remplacer({**base, "id": id_}, chemin, hostile)
                r = await envoyer(ev, id_)
                ids.append(id_)
                if not 400 <= r.status_code < 500:
                    erreurs.append(f"{chemin} {nom} : {r.status_code} {r.text[:150]}")
                elif r.status_code == 422 and (probleme := _francais_et_nomme(r, chemin)):
                    erreurs.append(f"{chemin} {nom} : {probleme}")
        assert not erreurs, "\n".join(erreurs[:40])
        temoin = f"temoin-{uuid.uuid4()}"  # the same event, unspoiled: accepted and stored
        assert (await envoyer({**base, "id": temoin}, temoin)).status_code == 202
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            compte = select(func.count()).select_from(EvenementRecu)
            hostiles = (await session.exec(compte.where(col(EvenementRecu.id).in_(ids)))).one()
            sains = (await session.exec(compte.where(EvenementRecu.id == temoin))).one()
    finally:
        await engine.dispose()
    assert (hostiles, sains) == (0, 1)  # not one hostile event was stored (nor acknowledged)


@pytest.mark.parametrize(
    "adresse",
    [
        "/coordination?anciennete=99999999999",  # ignored, like every unknown filter value
        "/coordination/fragments/ruptures?anciennete=²",
        "/coordination?phase={{7*7}}&statut=' OR 1=1 --&territoire=<script>",
        "/?q=' OR 1=1 --&tri=nom;DROP&page=1",
        "/observatoire?du=2000-01-01&au=2099-12-31&cohorte=",
    ],
)
async def test_filtres_du_cockpit_hostiles_ignores_sans_erreur(
    plateforme: Plateforme, adresse: str
) -> None:
    async with plateforme.client("coord-bassin_annecien") as coord:
        r = await coord.get(adresse)
    assert r.status_code == 200, r.text[:300]


async def test_numeros_de_ligne_hostiles_dans_un_formulaire(
    plateforme: Plateforme, dossiers: dict[str, str]
) -> None:
    action = f"/parcours/{dossiers['ouvert']}/commandes/rediger_contrat"
    async with plateforme.client(CLAIRE) as claire:
        for champs in (
            {"objectifs.².libelle": "Exposant pris pour un chiffre"},
            {"objectifs.٣.libelle": "Chiffre arabe-indien"},
            {"objectifs.99999999999999.libelle": "Très loin", "_action": "ajouter:objectifs"},
        ):
            r = await claire.post(action, data=champs, headers={"HX-Request": "true"})
            assert r.status_code in (200, 409, 422), (champs, r.status_code, r.text[:200])
