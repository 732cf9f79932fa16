"""The accueil form (`/parcours/nouveau`): opens a parcours through the same checks as the
API (territory, référent, duplicates), then goes to the new parcours page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from schemas.champ import champs
from schemas.common import Organisme, Role
from services.parcours_client import CommandeImpossible
from services.utilisateur import Utilisateur
from store.comptes import Compte
from web.api.parcours import accueil as api
from web.cockpit import pages
from web.cockpit.commandes import Formulaire
from web.cockpit.formulaires import Reglages, chemins, construire
from web.cockpit.lecture import lire, repartir
from web.deps import ParcoursDep, SessionDep, UtilisateurPage, aujourd_hui
from web.erreurs import Refus

router = APIRouter(include_in_schema=False)
ACTION = "/parcours/nouveau"


async def _referents(session: AsyncSession, territoire: str | None) -> list[tuple[str, str]]:
    query = select(Compte).where(Compte.role == Role.REFERENT.value, col(Compte.actif).is_(True))
    if territoire:
        query = query.where(Compte.territoire == territoire)
    comptes = (await session.exec(query.order_by(col(Compte.nom)))).all()
    return [
        (c.id, f"{c.nom} — {Organisme(c.organisme).label if c.organisme else ''}") for c in comptes
    ]


async def _formulaire(
    session: AsyncSession,
    u: Utilisateur,
    valeurs: dict[str, Any],
    *,
    erreurs: list[dict[str, str]] | None = None,
    refus: str | None = None,
    doublon: bool = False,
) -> Formulaire:
    r = Reglages()
    r.exclus.add("nir_empreinte")  # computed from « nir », never typed
    if u.est_referent:
        r.exclus.add("referent_id")  # a référent opens the parcours in their own name
        r.exclus.add("motif_hors_territoire")  # and on their territory (services/territoires.py)
        r.exclus.add("motif_bassin")  # on the bassin of the person's commune
    else:
        r.choix["referent_id"] = await _referents(session, valeurs.get("territoire"))
        r.attrs["territoire"] = {
            "hx-post": ACTION,
            "hx-trigger": "change",
            "hx-target": "closest form",
            "hx-swap": "outerHTML",
            "hx-vals": '{"_action": "recharger"}',
        }
    if not doublon:
        r.exclus.add("doublon_confirme")
    par_chemin = {e["champ"]: e["message"] for e in erreurs or []}
    cs = construire(api.DemandeAccueil, valeurs, par_chemin, r)
    _, generales = repartir(erreurs or [], chemins(cs))
    return Formulaire(
        nom="accueil",
        titre="Enregistrer un accueil",
        action=ACTION,
        parcours_id="",
        champs=cs,
        generales=generales,
        refus=refus,
        annuler="/",
    )


def _page(request: Request, u: Utilisateur, f: Formulaire, status: int = 200) -> Response:
    gabarit = "parcours/_formulaire.html" if pages.est_htmx(request) else "parcours/accueil.html"
    f.focus = f.focus and pages.est_htmx(request)  # a whole page starts at its top
    ctx = {"form": f, "u": u, "titre": "Nouvel accueil", "actif": "accueil"}
    return pages.rendre(request, gabarit, ctx, status=status)


@router.get("/parcours/nouveau")
async def nouveau(request: Request, u: UtilisateurPage, session: SessionDep) -> Response:
    today = aujourd_hui()
    valeurs: dict[str, Any] = {
        "accueilli_le": today,
        # the commune decides the bassin; a coordinator opens on theirs (or says why not)
        "territoire": u.territoire if u.est_coordinateur else None,
        "consentement": {"recueilli_le": today},
    }
    return _page(request, u, await _formulaire(session, u, valeurs))


@router.post("/parcours/nouveau")
async def enregistrer(
    request: Request, u: UtilisateurPage, session: SessionDep, parcours: ParcoursDep
) -> Response:
    form = await request.form()
    brut = {k: [str(v) for v in form.getlist(k)] for k in form}
    valeurs = lire(api.DemandeAccueil, brut)
    if (brut.get("_action") or [""])[-1] == "recharger":
        f = await _formulaire(session, u, valeurs)
        f.focus = False
        return _page(request, u, f)
    try:
        demande = api.DemandeAccueil.model_validate(valeurs)
        cree = await api.accueillir(demande, u, session, parcours, request)
    except ValidationError as err:
        f = await _formulaire(
            session,
            u,
            valeurs,
            erreurs=champs(err.errors(), skip_body=False),
            refus="Données invalides : corrigez les champs indiqués",
        )
        return _page(request, u, f, 422)
    except (Refus, CommandeImpossible) as err:
        doublon = err.code == "doublon"
        erreurs = err.erreurs if isinstance(err, CommandeImpossible) else []
        f = await _formulaire(
            session, u, valeurs, erreurs=erreurs, refus=err.message, doublon=doublon
        )
        return _page(request, u, f, err.status)
    destination = f"/parcours/{cree.parcours_id}"
    if pages.est_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": destination})
    return RedirectResponse(destination, status_code=303)
