"""SMTP with STARTTLS or implicit TLS and authentication, against a real SMTP server
(aiosmtpd) with its own certificate: the certificate is verified, the password never goes
over a connection in clear."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core.smtp import ServeurSmtp

UTILISATEUR, MOT_DE_PASSE = "parcours@spie74.fr", "mot-de-passe-smtp"


def _certificat(dossier: Path) -> tuple[Path, Path]:
    cle = ec.generate_private_key(ec.SECP256R1())
    nom = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    maintenant = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(nom)
        .issuer_name(nom)
        .public_key(cle.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(maintenant - dt.timedelta(minutes=1))
        .not_valid_after(maintenant + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(cle, hashes.SHA256())
    )
    pem, cle_pem = dossier / "serveur.pem", dossier / "serveur.key"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    cle_pem.write_bytes(
        cle.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return pem, cle_pem


class Boite:
    def __init__(self) -> None:
        self.recus: list[tuple[str, bytes]] = []
        self.connexions: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recus.append((envelope.mail_from, envelope.content))
        return "250 OK"

    def authentifier(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (UTILISATEUR, MOT_DE_PASSE)
        self.connexions.append(f"{mechanism}:{'ok' if ok else 'refus'}")
        return AuthResult(success=ok)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def certificat(tmp_path: Path) -> tuple[Path, ssl.SSLContext]:
    pem, cle = _certificat(tmp_path)
    contexte = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    contexte.load_cert_chain(pem, cle)
    return pem, contexte


def _serveur(boite: Boite, contexte: ssl.SSLContext, *, implicite: bool) -> Controller:
    if implicite:  # the whole connection is TLS (aiosmtpd's auth_require_tls knows STARTTLS only)
        return Controller(
            boite,
            hostname="127.0.0.1",
            port=_port(),
            ssl_context=contexte,
            authenticator=boite.authentifier,
            auth_require_tls=False,
        )
    return Controller(
        boite,
        hostname="127.0.0.1",
        port=_port(),
        tls_context=contexte,
        require_starttls=True,
        authenticator=boite.authentifier,
        auth_require_tls=True,
    )


@pytest.fixture(params=["starttls", "tls"])
def serveur(
    request: pytest.FixtureRequest, certificat: tuple[Path, ssl.SSLContext]
) -> Iterator[tuple[Boite, ServeurSmtp]]:
    pem, contexte = certificat
    boite = Boite()
    controleur = _serveur(boite, contexte, implicite=request.param == "tls")
    if request.param == "tls":
        controleur.ready_timeout = 10
    try:
        controleur.start()
    except Exception:  # aiosmtpd's self-test of an implicit-TLS port opens it in clear
        if request.param != "tls":
            raise
    try:
        yield (
            boite,
            ServeurSmtp(
                "127.0.0.1", controleur.port, request.param, UTILISATEUR, MOT_DE_PASSE, pem
            ),
        )
    finally:
        controleur.stop()


def _message() -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = UTILISATEUR, "claire@example.org", "Essai"
    m.set_content("Bonjour")
    return m


def test_le_message_part_chiffre_et_authentifie(serveur: tuple[Boite, ServeurSmtp]) -> None:
    boite, smtp = serveur
    smtp.envoyer(_message())
    assert [expediteur for expediteur, _ in boite.recus] == [UTILISATEUR]
    assert boite.connexions[-1:] == ["LOGIN:ok"] or boite.connexions[-1:] == ["PLAIN:ok"]


def test_un_certificat_non_reconnu_est_refuse(serveur: tuple[Boite, ServeurSmtp]) -> None:
    boite, smtp = serveur
    sans_autorite = ServeurSmtp(smtp.hote, smtp.port, smtp.securite, UTILISATEUR, MOT_DE_PASSE)
    with pytest.raises(ssl.SSLCertVerificationError):
        sans_autorite.envoyer(_message())
    assert boite.recus == []
    assert boite.connexions == []  # the password never left


def test_pas_d_authentification_en_clair() -> None:
    with pytest.raises(Exception, match="sans chiffrement"):
        ServeurSmtp("127.0.0.1", 1, "aucune", UTILISATEUR, MOT_DE_PASSE).envoyer(_message())
