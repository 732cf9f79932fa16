"""Reading a partner's request body, capped as it streams: the one part of the reception that
needs the request itself (the checks of its content are in partenaires/reception.py)."""

from __future__ import annotations

from fastapi import Request

from partenaires.reception import LOT_MAX_OCTETS
from partenaires.reception import TAILLE_MAX as TAILLE_MAX
from partenaires.refus import RefusEvenement


def _trop_gros(taille_max: int, quoi: str) -> RefusEvenement:
    return RefusEvenement(413, f"Corps trop volumineux : {quoi}", "trop_gros")


async def lire_corps(request: Request, lot: bool = False) -> bytes:
    """The raw body, refused as soon as it exceeds the limit (announced or actual size): that
    of one event, or of a batch."""
    taille_max, quoi = (
        (LOT_MAX_OCTETS, f"{LOT_MAX_OCTETS // 1024 // 1024} Mio au plus par lot")
        if lot
        else (TAILLE_MAX, f"{TAILLE_MAX // 1024} Kio au plus par événement")
    )
    annonce = request.headers.get("content-length", "")
    if annonce.isdigit() and int(annonce) > taille_max:
        raise _trop_gros(taille_max, quoi)
    morceaux, total = [], 0
    async for morceau in request.stream():
        total += len(morceau)
        if total > taille_max:
            raise _trop_gros(taille_max, quoi)
        morceaux.append(morceau)
    return b"".join(morceaux)
