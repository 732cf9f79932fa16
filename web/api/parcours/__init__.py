"""JSON API of the parcours: accueil, lists, one parcours, its documents, one POST per command.

One file per page; the router here gathers them under one prefix, in the order the API
describes them."""

from __future__ import annotations

from fastapi import APIRouter

from web.api.parcours import accueil, commandes, consultation, documents

router = APIRouter(tags=["Parcours"])
for _page in (accueil, consultation, documents, commandes):
    router.include_router(_page.router)  # each carries its path (chemin.py)
