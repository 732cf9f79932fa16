"""`python -m simulator`: the commands, and serving until SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from standardwebhooks import Webhook

from simulator import cli
from simulator.smtp import port_libre

ROOT = Path(__file__).resolve().parents[2]


def test_envoyer(recepteur, partners, monkeypatch, capsys):
    monkeypatch.setenv("PLATFORM_URL", recepteur.url)
    cli.main(
        [
            "envoyer",
            "--partenaire",
            "employeur",
            "--type",
            "fr.employeur.contrat.rompu",
            "--sujet",
            "73282932000074:M-1042",
            "--data",
            '{"date": "2026-11-20", "motif": "faute grave"}',
            "--time",
            "2026-11-20T09:00:00Z",
            "--id",
            "evt-cli-1",
        ]
    )
    sortie = capsys.readouterr().out
    assert "HTTP 202" in sortie
    assert '"status": "accepted"' in sortie
    [requete] = recepteur.requetes
    evenement = Webhook(partners["employeur"].secret).verify(requete.body, requete.headers)
    assert (evenement["id"], evenement["time"]) == ("evt-cli-1", "2026-11-20T09:00:00Z")
    assert evenement["data"]["motif"] == "faute grave"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--partenaire", "poste"], "Partenaire inconnu"),
        (["--partenaire", "caf", "--data", "[1]"], "objet JSON"),
        (["--partenaire", "caf", "--time", "hier"], "Événement invalide"),
    ],
)
def test_envoyer_refuse(args, message, capsys):
    with pytest.raises(SystemExit):
        cli.main(["envoyer", "--type", "fr.x", "--sujet", "s", *args])
    assert message in capsys.readouterr().err


def test_mode_et_recus(simulateur, entetes, monkeypatch, capsys):
    monkeypatch.setenv("SIMULATOR_URL", simulateur.base_url)
    cli.main(["mode", "caf", "instable", "--pourcentage", "20"])
    assert "caf est maintenant en mode « instable »" in capsys.readouterr().out
    assert simulateur.store.mode("caf").pourcentage == 20
    httpx.post(
        f"{simulateur.base_url}/sms/v1/messages",
        json={"telephone": "+33612345678", "texte": "Rappel"},
        headers=entetes("sms", "cle-cli"),
    )
    cli.main(["recus", "--partenaire", "sms"])
    sortie = capsys.readouterr().out
    assert "envoyer_sms" in sortie
    assert "cle-cli" in sortie


def test_serve_puis_sigterm(tmp_path):
    """`python -m simulator` serves HTTP and SMTP, keeps its state, and stops on SIGTERM."""
    port, smtp_port = port_libre(), port_libre()
    env = {
        **os.environ,
        "SIMULATOR_PORT": str(port),
        "SMTP_PORT": str(smtp_port),
        "DATA_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # a bound for a hung start, not a speed goal: a loaded machine takes a while to import
        limite = time.monotonic() + 120
        while True:
            try:
                modes = httpx.get(f"http://127.0.0.1:{port}/_simulateur/modes", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout
                assert time.monotonic() < limite, "le simulateur ne répond pas après 120 s"
                time.sleep(0.05)
        assert modes.status_code == 200
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=5) as smtp:
            smtp.sendmail("a@spie74.local", ["b@example.org"], b"Subject: Test\r\n\r\nBonjour")
        process.send_signal(signal.SIGTERM)
        sortie, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, sortie
    assert "Simulateur arrêté." in sortie
    [courriel] = json.loads((tmp_path / "simulateur.json").read_text())["courriels"]
    assert courriel["sujet"] == "Test"
    with pytest.raises(ConnectionRefusedError):  # the SMTP catcher stopped too
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=1)
