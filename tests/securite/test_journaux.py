"""Access logs keep no secret: neither the secret of a carnet link nor a name typed in a
search reaches the web app's (uvicorn's) log or the proxy's (Caddy's), while the lines stay."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from pathlib import Path

import httpx
import pytest

from tests.securite.cockpit_seul import cockpit_seul, port_libre, replique_web
from web.journaux import caviarder

ROOT = Path(__file__).resolve().parents[2]
SECRET = "SecretDuCarnet-4f9a2c"
NOM = "Dupontel"


async def _demandes(client: httpx.AsyncClient) -> None:
    """A person opening their carnet (its page's assets then carry it as Referer) and a
    référente searching a name, signed out, sent to the login page with her search."""
    await client.get(f"/carnet/{SECRET}")
    await client.get("/static/app/parcours.css", headers={"Referer": f"/carnet/{SECRET}"})
    await client.get("/", params={"q": NOM})
    await client.get("/parcours/tableau", params={"q": NOM, "page": "2"})


def test_ce_qui_est_masque() -> None:
    assert caviarder(f"/carnet/{SECRET}") == "/carnet/[masqué]"
    assert caviarder(f"/rdv/{SECRET}") == "/rdv/[masqué]"
    assert caviarder(f"/orientation/{SECRET}") == "/orientation/[masqué]"  # ticket 20
    assert caviarder(f"/connexion?suite=/?q={NOM}") == "/connexion?[masqué]"
    assert caviarder("/parcours/p-1/carnet") == "/parcours/p-1/carnet"
    assert caviarder("/static/app/parcours.css") == "/static/app/parcours.css"


async def test_le_journal_d_acces_de_l_application_ne_garde_aucun_secret(
    base_lecture: str, tmp_path: Path
) -> None:
    journal = tmp_path / "uvicorn.log"
    async with (
        replique_web(base_lecture, tmp_path, journal) as url,
        httpx.AsyncClient(timeout=60, base_url=url) as client,
    ):
        await _demandes(client)
    texte = journal.read_text()
    assert '"GET /carnet/[masqué] HTTP/1.1"' in texte, texte
    assert '"GET /parcours/tableau?[masqué] HTTP/1.1"' in texte, texte
    assert SECRET not in texte
    assert NOM not in texte


def _caddyfile_de_test(dossier: Path, port_web: int) -> Path:
    """deploy/Caddyfile as shipped, its upstream pointed at the test's web app (the compose
    network's DNS name « web » does not exist here) and without its admin endpoint."""
    texte = (ROOT / "deploy/Caddyfile").read_text()
    texte = re.sub(r"\bname web\b", "name 127.0.0.1", texte)
    texte = re.sub(r"\bport 8000\b", f"port {port_web}", texte)
    chemin = dossier / "Caddyfile"
    chemin.write_text("{\n\tadmin off\n}\n" + texte)
    return chemin


async def test_le_journal_du_proxy_ne_garde_aucun_secret(base_lecture: str, tmp_path: Path) -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy absent : « make test » l'installe (paquet Debian caddy)")
    async with cockpit_seul(tmp_path, base_lecture) as web:
        sock = port_libre()
        port = sock.getsockname()[1]
        sock.close()
        config = _caddyfile_de_test(tmp_path, int(web.rsplit(":", 1)[1]))
        journal = tmp_path / "caddy.log"
        env = {**os.environ, "SITE_ADDRESS": f":{port}", "HOME": str(tmp_path)}
        env |= {"XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
        with journal.open("wb") as sortie:
            proxy = await asyncio.create_subprocess_exec(
                *(caddy, "run", "--adapter", "caddyfile", "--config", str(config)),
                env=env,
                stdout=sortie,
                stderr=sortie,
            )
            try:
                async with httpx.AsyncClient(
                    timeout=60, base_url=f"http://127.0.0.1:{port}"
                ) as client:
                    await _attendre_le_proxy(client, proxy)
                    await _demandes(client)
                    await _attendre_les_lignes(journal, 5)
            finally:
                proxy.terminate()
                await asyncio.wait_for(proxy.wait(), 30)
    texte = journal.read_text()
    assert '"uri":"/carnet/[masqué]"' in texte, texte
    assert '"uri":"/parcours/tableau?[masqué]"' in texte, texte
    assert SECRET not in texte
    assert NOM not in texte


async def _attendre_le_proxy(client: httpx.AsyncClient, proxy: asyncio.subprocess.Process) -> None:
    for _ in range(600):  # at most about 60 s
        assert proxy.returncode is None, "Caddy s'est arrêté"
        try:
            if (await client.get("/connexion")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("Caddy ne répond pas après 60 s")


async def _attendre_les_lignes(journal: Path, nombre: int) -> None:
    """Caddy writes an access line once the answer is sent: wait for them, bounded."""
    for _ in range(300):
        texte = await asyncio.to_thread(journal.read_text)
        if texte.count('"logger":"http.log.access') >= nombre:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"moins de {nombre} lignes d'accès dans le journal de Caddy")
