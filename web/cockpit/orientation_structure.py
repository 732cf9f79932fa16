"""The answer page of an orientation (ticket 20, item 2), opened by the structure from the link
in its e-mail. No account, as with DORA's orientation links: the link's secret is the key
until the orientation expires; only its fingerprint is stored. An unknown and an expired link
give the same answer. The structure accepts (with a start date) or refuses (with DORA's
reasons, rules/orientation_structure.yaml); the answer enters the parcours as a command,
and sending the same answer again shows it again without recording anything twice."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from core.formats import jour_semaine as jour_long_fr
from rules.orientation_structure import regles_orientation_structure
from schemas.carnet import empreinte
from schemas.common import Acteur, Role
from schemas.orientation_structure import ReponseStructure, StatutOrientation
from services.audit import journaliser
from services.parcours_client import CommandeImpossible
from services.utilisateur import Utilisateur
from store.comptes import Compte
from store.orientations_structures import OrientationStructureRow
from web.cockpit import pages
from web.deps import ParcoursDep, SessionDep, adresse, aujourd_hui, get_limites

router = APIRouter(include_in_schema=False)
Jeton = Annotated[str, Path(max_length=100)]
TITRE = "Demande d'orientation"
INVALIDE = (
    "Ce lien n'est pas valable ou a expiré. Pour toute question sur cette orientation, "
    "contactez le référent qui vous l'a adressée."
)
DECISIONS = {"acceptee": "acceptée", "refusee": "refusée"}


class LienRefuse(Exception):
    def __init__(self, status: int, message: str, attente_s: int | None = None) -> None:
        super().__init__(message)
        self.status, self.attente_s = status, attente_s


def _refus(request: Request, status: int, message: str, attente_s: int | None = None) -> Response:
    response = pages.rendre(
        request,
        "orientation/lien_refuse.html",
        {"u": None, "titre": TITRE, "message": message},
        status=status,
    )
    if attente_s is not None:
        response.headers["Retry-After"] = str(attente_s)
    return response


async def _orientation(
    request: Request, session: SessionDep, jeton: str
) -> OrientationStructureRow:
    row = await session.get(OrientationStructureRow, empreinte(jeton))  # never the secret
    if row is None or row.expire_le <= aujourd_hui():
        # Only wrong links are counted, per address and per method: guessing is slowed
        # down, the structure is not.
        cle = f"{request.method} {adresse(request) or '?'}"
        if attente := get_limites(request).compter("orientation", cle):
            raise LienRefuse(429, "Trop de tentatives : réessayez dans une minute.", attente)
        raise LienRefuse(404, INVALIDE)
    return row


def _structure(row: OrientationStructureRow) -> Utilisateur:
    return Utilisateur(
        id=f"structure:{row.parcours_id}",
        nom=f"{row.structure} (lien d'orientation)",
        email="",
        role=Role.PARTENAIRE,
        organisme=None,
        territoire=None,
    )


async def _page(
    request: Request,
    session: SessionDep,
    row: OrientationStructureRow,
    *,
    erreurs: dict[str, str] | None = None,
    saisie: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    referent = await session.get(Compte, row.referent_id) if row.referent_id else None
    regles = regles_orientation_structure()
    return pages.rendre(
        request,
        "orientation/reponse.html",
        {
            "u": None,
            "titre": TITRE,
            "o": row,
            "personne": row.personne,
            "referent": referent,
            "debut_prevu": jour_long_fr(row.debut_prevu),
            "repondre_avant": jour_long_fr(row.expire_le - timedelta(days=1)),
            "statut": StatutOrientation(row.statut),
            "debut_le": jour_long_fr(row.debut_le) if row.debut_le else None,
            "motifs_donnes": [regles.libelle(m) or m for m in row.motifs_refus],
            "motifs": regles.motifs_refus,
            "erreurs": erreurs or {},
            "saisie": saisie or {},
            "aujourd_hui": aujourd_hui().isoformat(),
        },
        status=status,
    )


@router.get("/orientation/{jeton}", response_class=HTMLResponse)
async def voir(jeton: Jeton, request: Request, session: SessionDep) -> Response:
    try:
        row = await _orientation(request, session, jeton)
    except LienRefuse as refus:
        return _refus(request, refus.status, str(refus), refus.attente_s)
    await journaliser(
        session,
        _structure(row),
        "lecture",
        f"parcours:{row.parcours_id}",
        "demande d'orientation (lien de la structure)",
    )
    return await _page(request, session, row)


def _lire(
    decision: str, debut_le: str, motifs: list[str], today: date
) -> tuple[dict[str, str], date | None]:
    """The form's mistakes, by field, in French; and the start date when one is given."""
    erreurs: dict[str, str] = {}
    if decision not in DECISIONS:
        erreurs["decision"] = "Choisissez d'accepter ou de refuser l'orientation."
    jour = None
    if decision == "acceptee":
        try:
            jour = date.fromisoformat(debut_le)
        except ValueError:
            erreurs["debut_le"] = "Indiquez la date d'entrée dans le service (jj/mm/aaaa)."
        else:
            if jour < today:
                erreurs["debut_le"] = "La date d'entrée ne peut pas être passée."
    if decision == "refusee":
        connus = {m.code for m in regles_orientation_structure().motifs_refus}
        if not motifs:
            erreurs["motifs_refus"] = "Cochez au moins un motif de refus."
        elif not set(motifs) <= connus:
            erreurs["motifs_refus"] = "Un des motifs de refus est inconnu."
    return erreurs, jour


def _meme_reponse(row: OrientationStructureRow, r: ReponseStructure) -> bool:
    if row.statut == StatutOrientation.VALIDEE.value:
        return r.decision == "acceptee" and r.debut_le == row.debut_le
    if row.statut == StatutOrientation.REFUSEE.value:
        return r.decision == "refusee" and sorted(r.motifs_refus) == sorted(row.motifs_refus)
    return False


@router.post("/orientation/{jeton}", response_class=HTMLResponse)
async def repondre(
    jeton: Jeton,
    request: Request,
    session: SessionDep,
    parcours: ParcoursDep,
    decision: Annotated[str, Form(max_length=20)] = "",
    debut_le: Annotated[str, Form(max_length=20)] = "",
    motifs_refus: Annotated[list[str] | None, Form(max_length=12)] = None,
    precisions: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        row = await _orientation(request, session, jeton)
    except LienRefuse as refus:
        return _refus(request, refus.status, str(refus), refus.attente_s)
    motifs = [m[:60] for m in motifs_refus or []]
    saisie = {
        "decision": decision,
        "debut_le": debut_le,
        "motifs": motifs,
        "precisions": precisions,
    }
    erreurs, jour = _lire(decision, debut_le, motifs, aujourd_hui())
    if erreurs:
        return await _page(request, session, row, erreurs=erreurs, saisie=saisie, status=422)
    reponse = ReponseStructure(
        action_id=row.action_id,
        decision=decision,  # checked by _lire
        debut_le=jour,
        motifs_refus=motifs if decision == "refusee" else [],
        precisions=precisions.strip(),
    )
    if row.statut != StatutOrientation.OUVERTE.value:
        return await _deja(request, session, row, reponse)
    structure = _structure(row)
    try:
        await parcours.commander(
            row.parcours_id,
            "repondre_orientation",
            reponse,
            Acteur(id=structure.id, nom=structure.nom, role=Role.PARTENAIRE),
        )
    except CommandeImpossible:
        # answered meanwhile (the read model lags a little): same answer, same page
        etat = await parcours.etat(row.parcours_id)
        action = next((a for a in etat.actions if a.id == row.action_id), None)
        if action is None or action.orientation is None:
            return _refus(request, 404, INVALIDE)
        o = action.orientation
        vu = row.model_copy(
            update={
                "statut": o.statut.value,
                "debut_le": o.debut_le,
                "motifs_refus": o.motifs_refus,
            }
        )
        return await _deja(request, session, vu, reponse)
    await journaliser(
        session,
        structure,
        "ecriture",
        f"parcours:{row.parcours_id}",
        f"orientation {DECISIONS[decision]} (lien de la structure)",
    )
    vu = row.model_copy(
        update={
            "statut": "validee" if decision == "acceptee" else "refusee",
            "debut_le": jour,
            "motifs_refus": reponse.motifs_refus,
        }
    )
    return await _page(request, session, vu)


async def _deja(
    request: Request, session: SessionDep, row: OrientationStructureRow, r: ReponseStructure
) -> Response:
    """Already answered: the same answer again shows it (nothing recorded twice); another is
    a conflict with what was said."""
    if _meme_reponse(row, r):
        return await _page(request, session, row)
    if row.statut == StatutOrientation.OUVERTE.value:
        return _refus(request, 409, INVALIDE)
    message = (
        "Vous avez déjà répondu à cette demande : elle est "
        f"{StatutOrientation(row.statut).label.lower()}. Pour changer votre réponse, "
        "contactez le référent."
    )
    return await _page(request, session, row, erreurs={"reponse": message}, status=409)
