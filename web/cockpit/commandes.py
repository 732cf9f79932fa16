"""One form per command of the transition table: shown on demand, submitted with htmx.

A refusal (invalid data, wrong phase, not allowed) re-renders the form with the server's
French messages beside the fields or above the form, and changes nothing. A success
answers with a confirmation and ``HX-Trigger: parcours-modifie`` so that the status, the
buttons and the timeline refresh themselves.

Every form carries the parcours' business version it was opened on (hidden ``_version``,
kept across re-renders): if someone changed the parcours meanwhile, the command is refused
(« Le parcours a changé entre-temps ») and the page refreshes around the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from temporalio.client import WorkflowQueryFailedError
from temporalio.service import RPCError

from core.ids import reference
from schemas.champ import champs
from schemas.common import CONFLIT_DE_VERSION
from schemas.diagnostic import Frein
from schemas.erreurs import CodeErreur
from schemas.parcours import ParcoursState
from services.commandes import modele_api
from services.parcours_client import CommandeImpossible, conflit
from services.utilisateur import Utilisateur
from web.api.parcours.commandes import executer
from web.cockpit import choix, pages
from web.cockpit import message as message_usager
from web.cockpit.formulaires import Brut, Champ, chemins, construire
from web.cockpit.lecture import indices, lire, repartir
from web.deps import ParcoursDep, SessionDep, UtilisateurPage, aujourd_hui
from web.erreurs import Refus
from web.securite.sensible import proteger
from workflows.transitions import TRANSITIONS, qualites, refus, reserve_a

router = APIRouter(include_in_schema=False)
# Commands whose form says nothing the button does not: sent at once, result announced.
ANNONCE = "annonce"
VERSION = "_version"  # the hidden field: the parcours' version_metier the form was opened on


@dataclass
class Formulaire:
    nom: str
    titre: str
    action: str
    parcours_id: str
    champs: list[Champ]
    generales: list[str] = field(default_factory=list)
    refus: str | None = None
    intro: str | None = None
    modale: bool = False
    sujet: str = ""  # whose parcours, said in the coordination's modal
    focus: bool = True  # move the keyboard focus to the form's title when it appears
    annuler: str | None = None  # a link out of the form (pages of their own, like the accueil)
    sensible: bool = True
    freins: dict[str, str] = field(default_factory=lambda: {f.value: f.label for f in Frein})
    version: int | None = None  # sent back as _version (None: a form outside a parcours)

    @property
    def par_nom(self) -> dict[str, Champ]:
        return {c.nom: c for c in self.champs}

    @property
    def erreurs(self) -> list[Champ]:
        """Fields in error, for the summary at the top of the form."""

        def walk(cs: list[Champ]) -> list[Champ]:
            out = []
            for c in cs:
                out += [c] if c.erreur else []
                out += walk(c.enfants)
                for ligne in c.lignes:
                    out += walk(ligne)
            return out

        return walk(self.champs)


def action_url(parcours_id: str, nom: str, modale: bool = False) -> str:
    return f"/parcours/{parcours_id}/commandes/{nom}" + ("?modale=1" if modale else "")


async def construire_formulaire(
    nom: str,
    s: ParcoursState,
    valeurs: dict[str, Any],
    session: Any,
    *,
    erreurs: list[dict[str, str]] | None = None,
    refus_message: str | None = None,
    modale: bool = False,
    lignes: dict[str, int] | None = None,
    version: int | None = None,
) -> Formulaire:
    """``version``: the one the person saw — the state's when the form opens, the posted
    one when it is shown again."""
    action = action_url(s.parcours_id, nom, modale)
    r = await choix.reglages(nom, s, valeurs, session, action)
    r.lignes.update(lignes or {})
    par_chemin = {e["champ"].removeprefix("donnees."): e["message"] for e in erreurs or []}
    cs = construire(modele_api(nom), valeurs, par_chemin, r)
    for liste in (c for c in cs if lignes and c.chemin in lignes and c.lignes):
        premier = next(c for c in liste.lignes[-1] if c.genre != "cache")
        premier.attrs = {**premier.attrs, "autofocus": ""}  # the row just added
    _, generales = repartir(erreurs or [], chemins(cs))
    return Formulaire(
        nom=nom,
        titre=TRANSITIONS[nom].libelle,
        action=action,
        parcours_id=s.parcours_id,
        champs=cs,
        generales=generales,
        refus=refus_message,
        intro=choix.proposition_texte(s) if nom == "decider_orientation" else None,
        modale=modale,
        sujet=f"{s.usager.prenom} {s.usager.nom.upper()} — réf. {reference(s.parcours_id)}",
        sensible=s.consentement.themes_sensibles,
        version=s.version_metier if version is None else version,
    )


def _rendre(
    request: Request,
    u: Utilisateur,
    f: Formulaire,
    status: int = 200,
    declencher: dict[str, Any] | None = None,
) -> Response:
    return pages.rendre(
        request,
        "parcours/_formulaire.html",
        {"form": f, "u": u},
        status=status,
        declencher=declencher,
    )


def _connue(nom: str) -> None:
    if nom not in TRANSITIONS:
        raise Refus(404, f"Commande inconnue : « {nom} »", CodeErreur.COMMANDE_INCONNUE)


@router.get("/parcours/{parcours_id}/commandes/{nom}")
async def formulaire(
    parcours_id: str,
    nom: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
    modale: Annotated[bool, Query()] = False,
) -> Response:
    try:
        _connue(nom)
        s = proteger(await pages.etat(parcours, u, parcours_id), u)  # prefilled values
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    t = TRANSITIONS[nom]
    if not qualites(u.acteur, s) & t.qui:  # not theirs to give: refused as the API does (403)
        return pages.alerte(
            request, f"« {t.libelle} » est réservé {reserve_a(t.qui)}", status=403, titre=t.libelle
        )
    if (raison := refus(nom, s, u.acteur)) is not None:
        return pages.alerte(request, raison, status=409, titre=t.libelle)
    params = dict(request.query_params)
    valeurs = choix.initiales(nom, s, aujourd_hui(), params)
    f = await construire_formulaire(nom, s, valeurs, session, modale=modale)
    return _rendre(request, u, f)


async def _brut(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    return {k: [str(v) for v in form.getlist(k)] for k in form}


def version_postee(brut: Brut) -> int | None:
    """The version the form was opened on; None when the form carries none."""
    valeur = (brut.get(VERSION) or [""])[-1].strip()
    if not valeur:
        return None
    if not valeur.isascii() or not valeur.isdigit() or len(valeur) > 12:
        raise conflit()  # not a version we gave: the form cannot be trusted to be current
    return int(valeur)


@router.post("/parcours/{parcours_id}/commandes/{nom}")
async def soumettre(
    parcours_id: str,
    nom: str,
    request: Request,
    u: UtilisateurPage,
    session: SessionDep,
    parcours: ParcoursDep,
    modale: Annotated[bool, Query()] = False,
) -> Response:
    brut = await _brut(request)
    annonce = (brut.get("_retour") or [""])[-1] == ANNONCE
    try:
        _connue(nom)
        s = proteger(await pages.etat(parcours, u, parcours_id), u)  # prefilled values
        version = version_postee(brut)
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    except CommandeImpossible as err:
        return pages.alerte(request, err.message, status=err.status, titre=TRANSITIONS[nom].libelle)
    modele = modele_api(nom)
    valeurs = lire(modele, brut)
    action = (brut.get("_action") or [""])[-1]
    if action == "recharger" or action.startswith("ajouter:"):
        if nom == message_usager.COMMANDE:
            valeurs = message_usager.appliquer_modele(valeurs)
        lignes = _lignes_demandees(brut, action)
        f = await construire_formulaire(
            nom, s, valeurs, session, modale=modale, lignes=lignes, version=version
        )
        f.focus = False  # the person stays on the field they were using
        return _rendre(request, u, f)
    erreurs: list[dict[str, str]] = []
    message: str | None = None
    status, code = 200, ""
    try:
        body = modele.model_validate(valeurs)
        await executer(
            nom, parcours_id, body, u, session, parcours, request, version_attendue=version
        )
    except ValidationError as err:
        status, message, erreurs = (
            422,
            "Données invalides : corrigez les champs indiqués",
            champs(err.errors(), skip_body=False),
        )
    except CommandeImpossible as err:
        status, message, erreurs, code = err.status, err.message, err.erreurs, err.code
    except Refus as err:
        status, message, erreurs, code = err.status, err.message, err.erreurs, err.code
    except (WorkflowQueryFailedError, RPCError):
        status, message = 503, "Le moteur de parcours ne répond pas : rien n'a été enregistré"
    if status != 200:
        # Someone changed the parcours: the rest of the page shows what, around the form.
        declencher: dict[str, Any] | None = (
            {pages.PARCOURS_MODIFIE: {}} if code == CONFLIT_DE_VERSION else None
        )
        if annonce:
            return pages.alerte(
                request,
                message or "",
                status=status,
                titre=TRANSITIONS[nom].libelle,
                declencher=declencher,
            )
        f = await construire_formulaire(
            nom,
            s,
            valeurs,
            session,
            erreurs=erreurs,
            refus_message=message,
            modale=modale,
            version=version,
        )
        return _rendre(request, u, f, status, declencher)
    return pages.alerte(
        request,
        f"« {TRANSITIONS[nom].libelle} » : c'est enregistré.",
        genre="success",
        declencher={pages.PARCOURS_MODIFIE: {"parcours": parcours_id, "commande": nom}},
        focus=not annonce,
    )


def _lignes_demandees(brut: Brut, action: str) -> dict[str, int]:
    """« Ajouter une ligne » to a list: one more row than were posted."""
    if not action.startswith("ajouter:"):
        return {}
    chemin = action.removeprefix("ajouter:")
    cle = ".".join(p for p in chemin.split(".") if not p.isdigit())
    return {cle: len(indices(brut, chemin)) + 1}
