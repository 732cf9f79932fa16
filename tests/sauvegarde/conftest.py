"""A real S3-compatible server for the backups of the documents' store: moto's, over HTTP on a
free port (a running component, not an in-memory mock)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def serveur_s3() -> Iterator[str]:
    port = port_libre()
    serveur = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    serveur.start()
    yield f"http://127.0.0.1:{port}"
    serveur.stop()
