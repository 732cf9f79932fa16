"""The notification centre: the header's unread count, the list of one's own notifications
(each one opens the place to act and is then read), and the preferences per kind.

Everything here is the logged-in account's own: another account's notification is answered
as one that does not exist. The count renews itself every ``INTERVALLE_S`` seconds, at most
``RELEVES_MAX`` times per page (an hour): a tab forgotten open does not poll for ever."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from schemas.notifications import SORTES, sorte
from store import notifications as centre
from web.cockpit import pages
from web.deps import SessionDep, UtilisateurPage
from web.erreurs import Refus

router = APIRouter(include_in_schema=False)
INTERVALLE_S = 30
RELEVES_MAX = 120
PAR_PAGE = 50  # unread first: what asks for action is on page 1
PAGES_MAX = 1000
# The page the list is on: reading one notification redraws that page, not the first.
PageVue = Annotated[int, Query(ge=1, le=PAGES_MAX)]
LUES = "notifications-lues"  # the event that tells the header's count to look again


@router.get("/notifications/compteur")
async def compteur(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    n: Annotated[int, Query(ge=0, le=RELEVES_MAX)] = 0,
) -> Response:
    contexte = {
        "non_lues": await centre.non_lues(session, u.id),
        "suivant": n + 1 if n < RELEVES_MAX else None,
        "intervalle": INTERVALLE_S,
    }
    return pages.rendre(request, "notifications/_compteur.html", contexte)


async def _liste(
    request: Request, u: UtilisateurPage, session: SessionDep, page: int = 1
) -> Response:
    notes, total = await centre.recentes(session, u.id, PAR_PAGE, (page - 1) * PAR_PAGE)
    contexte = {
        "u": u,
        "titre": "Notifications",
        "actif": "notifications",
        "notifications": [(x, sorte(x.sorte)) for x in notes],
        "non_lues": await centre.non_lues(session, u.id),
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAR_PAGE)),
    }
    gabarit = "notifications/_liste.html" if pages.est_htmx(request) else "notifications/page.html"
    return pages.rendre(request, gabarit, contexte, declencher={LUES: True})


@router.get("/notifications")
async def lister(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    page: PageVue = 1,
) -> Response:
    return await _liste(request, u, session, page)


def _introuvable() -> Refus:
    return Refus(404, "Notification introuvable", "notification_inconnue")


@router.post("/notifications/{notification_id}/ouvrir")
async def ouvrir(notification_id: int, u: UtilisateurPage, session: SessionDep) -> Response:
    """Read now, and off to where to act (a path of this site only, never another's)."""
    n = await centre.marquer_lue(session, u.id, notification_id)
    if n is None:
        raise _introuvable()
    vers = n.lien if n.lien and n.lien.startswith("/") and not n.lien.startswith("//") else None
    return RedirectResponse(vers or "/notifications", status_code=303)


@router.post("/notifications/{notification_id}/lue")
async def marquer_lue(
    notification_id: int,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    page: PageVue = 1,
) -> Response:
    if await centre.marquer_lue(session, u.id, notification_id) is None:
        raise _introuvable()
    return await _liste(request, u, session, page)


@router.post("/notifications/tout-lire")
async def tout_lire(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    await centre.tout_marquer_lu(session, u.id)
    return await _liste(request, u, session)


async def _preferences(
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    status: int = 200,
    **extra: object,
) -> Response:
    contexte = {
        "u": u,
        "titre": "Préférences de notification",
        "actif": "notifications",
        "preferences": await centre.preferences(session, u.id),
        "erreur": None,
        "enregistre": False,
    } | extra
    return pages.rendre(request, "notifications/preferences.html", contexte, status=status)


@router.get("/notifications/preferences")
async def preferences(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    return await _preferences(request, u, session)


@router.post("/notifications/preferences")
async def enregistrer_preferences(
    request: Request, u: UtilisateurPage, session: SessionDep
) -> Response:
    form = await request.form()
    choix = {champ: {str(v) for v in form.getlist(champ)} for champ in ("application", "courriel")}
    for champ, codes in choix.items():
        if inconnues := codes - set(SORTES):
            message = f"Sorte de notification inconnue : « {sorted(inconnues)[0][:40]} »"
            return await _preferences(request, u, session, 422, erreur=(champ, message))
    await centre.enregistrer_preferences(session, u.id, choix["application"], choix["courriel"])
    return await _preferences(request, u, session, enregistre=True)
