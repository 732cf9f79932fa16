"""The one-shot commands (``python -m …``) write the journal of the web and the worker: one
JSON object per line on stderr, naming the command and its run, and no secret in it — the
settings' secrets, a password in a URL, a carnet link, a search — whatever the line says."""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from core import journaux
from core.settings import Settings


def _secret(prefixe: str) -> str:
    return f"{prefixe}-{secrets.token_urlsafe(18)}"


def _lancer(env: dict[str, str], *commande: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *commande],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_une_ligne_du_journal_ne_montre_aucun_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    audit, smtp, jeton, mot_de_passe = (_secret(p) for p in ("audit", "smtp", "caf", "pg"))
    cle_codec = "Y2xlLWRlLXByb2QtcGFyY291cnMtdHJlcy1zZWNyZXRlIQ=="
    settings = Settings(
        AUDIT_KEY=audit,
        SMTP_MOT_DE_PASSE=smtp,
        CODEC_KEYS=f"prod-2026:{cle_codec}",
        DATABASE_URL=f"postgresql+asyncpg://parcours:{mot_de_passe}@base:5432/parcours",
    )
    caviardage = journaux.Caviardage(
        journaux.secrets_des_reglages(settings, {"PARTNER_CAF_TOKEN": jeton})
    )
    monkeypatch.setattr(journaux, "_caviardage", caviardage)
    carnet = secrets.token_urlsafe(32)
    message = (
        f"échec avec la clé {audit}, le mot de passe {smtp}, le jeton {jeton}, la clé {cle_codec}"
        f" ; postgresql://temporal:{mot_de_passe}@temporal-postgresql:5432/temporal"
        f" ; GET /carnet/{carnet} ; GET /api/v1/parcours?q=Dupont&limit=5"
    )
    try:
        raise RuntimeError(f"connexion refusée : smtp://agent:{smtp}@smtp.example.fr")
    except RuntimeError:
        record = logging.getLogger("test").makeRecord(
            "test", logging.ERROR, __file__, 1, message, (), sys.exc_info()
        )
    ligne = json.loads(journaux.FormatJson().format(record))
    texte = journaux.FormatTexte(journaux.TEXTE).format(record)
    for sortie in (json.dumps(ligne, ensure_ascii=False), texte):
        for secret in (audit, smtp, jeton, cle_codec, mot_de_passe, carnet, "Dupont"):
            assert secret not in sortie
    assert "postgresql://temporal:[masqué]@temporal-postgresql:5432" in ligne["message"]
    assert "/carnet/[masqué]" in ligne["message"]
    assert "/api/v1/parcours?[masqué]" in ligne["message"]
    assert "smtp://agent:[masqué]@smtp.example.fr" in ligne["exception"]
    # ordinary text stays readable: a French question, ids, numbers
    record.msg, record.exc_info, record.exc_text = (
        "Continuer ? parcours 4f1c-9a (3 lignes)",
        None,
        None,
    )
    assert json.loads(journaux.FormatJson().format(record))["message"] == record.msg


def test_chaque_ligne_du_journal_d_une_commande_est_du_json_sans_secret(tmp_path: Path) -> None:
    audit, jeton, mot_de_passe = _secret("audit"), _secret("caf"), _secret("pg")
    env = {
        **os.environ,
        "LOG_FORMAT": "json",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'parcours.db'}",
        "AUDIT_KEY": audit,
        "PARTNER_CAF_TOKEN": jeton,
        "SAUVEGARDE_CLE": "",  # refused: an error line
    }
    postgres = {**env, "DATABASE_URL": f"postgresql+asyncpg://p:{mot_de_passe}@127.0.0.1:1/p"}
    executions = [
        ("migrations", _lancer(env, "store.migrations", "upgrade"), 0),
        (
            "comptes",
            _lancer(env, "web.securite.comptes", "premier-admin", "a@spie74.fr", "Alice"),
            0,
        ),
        ("comptes", _lancer(env, "web.securite.comptes", "premier-admin", "b@spie74.fr", "Bob"), 1),
        ("sauvegarde", _lancer(env, "ops.sauvegarde", "sauvegarder"), 1),
        ("migrations", _lancer(postgres, "store.migrations", "upgrade"), 1),  # base injoignable
    ]
    for nom, fait, code in executions:
        assert fait.returncode == code, fait.stdout + fait.stderr
        lignes = fait.stderr.splitlines()
        assert lignes, f"{nom} : rien dans le journal"
        runs = set()
        for numero, texte in enumerate(lignes, 1):
            try:
                ligne = json.loads(texte)
            except json.JSONDecodeError:
                raise AssertionError(f"{nom}, ligne {numero} n'est pas du JSON : {texte}") from None
            assert ligne["commande"] == nom, ligne
            assert {"horodatage", "niveau", "journal", "message"} <= ligne.keys()
            runs.add(ligne["execution_id"])
            for secret in (audit, jeton, mot_de_passe):
                assert secret not in texte, f"{nom} : un secret dans le journal : {texte}"
        assert len(runs) == 1, runs  # one id for the whole run
    refus = [json.loads(t) for t in executions[2][1].stderr.splitlines()]
    assert any(r["niveau"] == "ERROR" and "administrateur existe" in r["message"] for r in refus)
    arret = json.loads(executions[4][1].stderr.splitlines()[-1])
    assert arret["niveau"] == "CRITICAL"
    assert "ConnectionRefusedError" in arret["exception"]
    # what the command answers the person who typed it stays on stdout, readable
    assert "Administrateur créé : " in executions[1][1].stdout
