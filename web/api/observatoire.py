"""Observatoire — JSON API of the indicators, for the Département's BI tools. The filters and
the scope rules are shared with the cockpit pages (web/cockpit/observatoire.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy import ColumnElement, true

from observatoire.catalogue import INDICATEURS, calculer
from observatoire.masquage import SEUIL, valeurs_publiques
from observatoire.modele import Filtres, Nature, Resultat, Theme
from schemas.common import Organisme, Role, Territoire
from schemas.erreurs import CodeErreur
from services.audit import journaliser
from services.utilisateur import Utilisateur
from web.deps import SessionDep, UtilisateurApi, adresse, aujourd_hui
from web.erreurs import Erreur, Refus
from web.requetes import portee

router = APIRouter(prefix="/api/v1/observatoire", tags=["Observatoire"])


def _vide(valeur: Any) -> Any:
    """Empty form fields arrive as "": they mean "any"."""
    return valeur or None


PREMIER_JOUR, DERNIER_JOUR = date(2000, 1, 1), date(2099, 12, 31)  # dates are computed around


def filtres_observatoire(
    territoire: Annotated[
        Territoire | None, BeforeValidator(_vide), Query(description="Territoire (bassin)")
    ] = None,
    organisme: Annotated[
        Organisme | None, BeforeValidator(_vide), Query(description="Organisme référent")
    ] = None,
    cohorte: Annotated[
        str | None,
        Query(  # empty: any month (a pattern cannot follow a validator that empties)
            description="Mois d'entrée (date d'accueil), AAAA-MM",
            pattern=r"^([12][0-9]{3}-(0[1-9]|1[0-2]))?$",
            examples=["2026-03"],
        ),
    ] = None,
    du: Annotated[
        date | None, BeforeValidator(_vide), Query(description="Début de la période (inclus)")
    ] = None,
    au: Annotated[
        date | None,
        BeforeValidator(_vide),
        Query(description="Fin de la période (incluse) et jour d'observation des stocks"),
    ] = None,
) -> Filtres:
    mois = date.fromisoformat(f"{cohorte}-01") if cohorte else None
    for champ, jour in (("du", du), ("au", au), ("cohorte", mois)):
        if jour is not None and not PREMIER_JOUR <= jour <= DERNIER_JOUR:
            message = f"L'observatoire couvre les années {PREMIER_JOUR.year} à {DERNIER_JOUR.year}"
            raise Refus(
                422,
                f"« {champ} » : {message}",
                CodeErreur.PERIODE_INVALIDE,
                [{"champ": champ, "message": message}],
            )
    if du is not None and au is not None and du > au:
        raise Refus(
            422, "La période doit commencer avant sa fin (du ≤ au)", CodeErreur.PERIODE_INVALIDE
        )
    return Filtres(territoire=territoire, organisme=organisme, cohorte=mois, du=du, au=au)


FiltresObservatoire = Annotated[Filtres, Depends(filtres_observatoire)]


def portee_observatoire(u: Utilisateur, f: Filtres, today: date) -> ColumnElement[bool]:
    """Coordinators see their territory, administrators everything, nobody else anything."""
    if u.role == Role.ADMINISTRATEUR:
        return true()
    if u.role != Role.COORDINATEUR or u.territoire is None:
        raise Refus(
            403,
            "L'observatoire est réservé aux coordinateurs et aux administrateurs",
            "observatoire_interdit",
        )
    if f.territoire not in (None, u.territoire):
        raise Refus(
            403,
            "Vous ne pouvez consulter que les indicateurs de votre territoire",
            CodeErreur.HORS_TERRITOIRE,
        )
    return portee(u, today)


class ColonnePublique(BaseModel):
    code: str
    libelle: str
    nature: Nature = Field(description="effectif (nombre), part (pourcentage 0–100) ou jours")


class LignePublique(BaseModel):
    cle: str = Field(description="Code de la ligne (phase, mois AAAA-MM, motif, règle, frein…)")
    libelle: str
    valeurs: dict[str, int | float | None] = Field(
        description="Valeur de chaque colonne ; null si masquée ou sans objet"
    )
    masques: list[str] = Field(
        description=f"Colonnes masquées : effectif inférieur à {SEUIL}, ou valeur qui en dérive"
    )


class IndicateurPublic(BaseModel):
    code: str
    theme: Theme
    titre: str
    definition: str = Field(description="Ce qui est compté, à partir de quel événement")
    unite: str
    dimension: str = Field(description="Ce que décrivent les lignes")
    colonnes: list[ColonnePublique]
    lignes: list[LignePublique]
    export_csv: str = Field(description="Chemin de l'export CSV de ce tableau")


class FiltresAppliques(BaseModel):
    territoire: Territoire | None
    organisme: Organisme | None
    cohorte: str | None = Field(description="Mois d'entrée, AAAA-MM")
    du: date | None
    au: date | None
    jour_reference: date = Field(description="Jour d'observation des stocks")


class ReponseIndicateurs(BaseModel):
    filtres: FiltresAppliques
    seuil_masquage: int = Field(description="Les effectifs inférieurs à ce seuil sont masqués")
    calcule_le: datetime
    indicateurs: list[IndicateurPublic]


def publier(r: Resultat, requete: str) -> IndicateurPublic:
    ind = r.indicateur
    lignes = []
    for ligne in r.lignes:
        valeurs, masques = valeurs_publiques(ind, ligne)
        lignes.append(
            LignePublique(cle=ligne.cle, libelle=ligne.libelle, valeurs=valeurs, masques=masques)
        )
    return IndicateurPublic(
        code=ind.code,
        theme=ind.theme,
        titre=ind.titre,
        definition=ind.definition,
        unite=ind.unite,
        dimension=ind.dimension,
        colonnes=[
            ColonnePublique(code=c.code, libelle=c.libelle, nature=c.nature) for c in ind.colonnes
        ],
        lignes=lignes,
        export_csv=f"/observatoire/export/{ind.code}.csv" + (f"?{requete}" if requete else ""),
    )


def _appliques(f: Filtres, today: date) -> FiltresAppliques:
    return FiltresAppliques(
        territoire=f.territoire,
        organisme=f.organisme,
        cohorte=f"{f.cohorte:%Y-%m}" if f.cohorte else None,
        du=f.du,
        au=f.au,
        jour_reference=f.au or today,
    )


@router.get(
    "/indicateurs",
    response_model=ReponseIndicateurs,
    summary="Indicateurs de l'observatoire",
    responses={code: {"model": Erreur} for code in (401, 403, 404, 422)},
)
async def indicateurs(
    request: Request,
    u: UtilisateurApi,
    session: SessionDep,
    f: FiltresObservatoire,
    code: Annotated[
        list[str] | None, Query(description="Ne calculer que ces indicateurs (répétable)")
    ] = None,
) -> ReponseIndicateurs:
    """Les indicateurs du territoire du coordinateur (de tout le département pour un
    administrateur), avec leur définition. Les effectifs inférieurs à 5 sont masqués, ainsi
    que les parts et durées qui en dérivent. Chaque appel est journalisé."""
    today = aujourd_hui()
    perimetre = portee_observatoire(u, f, today)
    inconnus = sorted(set(code or []) - {i.code for i in INDICATEURS})
    if inconnus:
        raise Refus(
            404, f"Indicateur inconnu : {', '.join(inconnus)}", CodeErreur.INDICATEUR_INCONNU
        )
    resultats = await calculer(session, f, today, portee=perimetre, codes=code)
    await journaliser(
        session,
        u,
        "export",
        "observatoire:indicateurs",
        str(request.url.query)[:300],
        adresse(request),
    )
    return ReponseIndicateurs(
        filtres=_appliques(f, today),
        seuil_masquage=SEUIL,
        calcule_le=datetime.now(UTC),
        indicateurs=[publier(r, _sans_code(request)) for r in resultats],
    )


def _sans_code(request: Request) -> str:
    """The filters of the request, for the CSV links (``code`` selects, it does not filter)."""
    return urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "code" and v])
