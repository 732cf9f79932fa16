"""Reading a partner's request body, capped as it streams: the one part of the reception that
needs the request itself (the checks of its content are in partenaires/reception.py)."""

from __future__ import annotations

from fastapi import Request

from partenaires.refus import RefusEvenement

TAILLE_MAX = 256 * 1024


def _trop_gros() -> RefusEvenement:
    return RefusEvenement(
        413, f"Corps trop volumineux : {TAILLE_MAX // 1024} Kio au plus par événement", "trop_gros"
    )


async def lire_corps(request: Request) -> bytes:
    """The raw body, refused as soon as it exceeds the limit (announced or actual size)."""
    annonce = request.headers.get("content-length", "")
    if annonce.isdigit() and int(annonce) > TAILLE_MAX:
        raise _trop_gros()
    morceaux, total = [], 0
    async for morceau in request.stream():
        total += len(morceau)
        if total > TAILLE_MAX:
            raise _trop_gros()
        morceaux.append(morceau)
    return b"".join(morceaux)
