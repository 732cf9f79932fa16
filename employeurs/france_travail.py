"""Connector to France Travail's « API Offres d'emploi v2 »: the job offers of the département
(74), read page by page, become offers of the platform (source « france_travail »).

Contract, from public code calling the API (no code taken, only the facts; docs/employeurs.md
names each file):
- token: ``POST <jeton>`` (``https://entreprise.francetravail.fr/connexion/oauth2/access_token
  ?realm=%2Fpartenaire``), form ``grant_type=client_credentials``, ``client_id``,
  ``client_secret``, ``scope=api_offresdemploiv2 o2dsoffre``; answer ``{"access_token",
  "token_type": "Bearer", "expires_in", "scope"}``;
- search: ``GET <api>/v2/offres/search?departement=74&range=<début>-<fin>`` with
  ``Authorization: Bearer …``; 206 with ``Content-Range: offres <début>-<fin>/<total>`` while
  more follow, 200 for the last (or only) page, 204 when nothing matches; the body is
  ``{"resultats": [...], "filtresPossibles": [...]}``; at most 150 per page, the start at most
  1000 and the end at most 1149: one search reaches 1 150 offers, no more;
- ``minCreationDate`` and ``maxCreationDate`` (``2026-11-24T09:12:41Z``) narrow a search to the
  offers created in that window: past 1 150 offers, the département is read window by window,
  each halved until it holds 1 150 at most (the window from 2000 to now plus a day, the end's
  margin because the API seems to read these dates in Paris time; an hour at least).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import SecretStr
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.settings import Settings
from employeurs.annuaire import bassin_de, commune_de, maintenant
from referentiels.rome import METIERS
from referentiels.territoires import simplifier
from schemas.emploi import TypeContratTravail
from schemas.employeur import OrigineEntreprise, SourceOffre, StatutOffre, siret_normalise
from store.db import ecriture
from store.employeurs import EntrepriseRow, OffreRow

log = logging.getLogger("parcours.employeurs.france_travail")

DEPARTEMENT = "74"
SCOPE = "api_offresdemploiv2 o2dsoffre"
TAILLE_PAGE = 150  # the API's maximum per call
DEBUT_MAX, FIN_MAX = 1000, 1149  # the API refuses a range past these (400)
PLAFOND = FIN_MAX + 1  # offers one search can give
FENETRE_DEPUIS = datetime(2000, 1, 1, tzinfo=UTC)  # before any offer still online
MARGE_FIN = timedelta(hours=24)  # past « now » in any time zone the API reads dates in
FENETRE_MIN = timedelta(hours=1)  # not halved further: read up to 1 150, the rest is said
DELAI = httpx.Timeout(30.0, connect=5.0)
AUTEUR = "france_travail"  # cree_par of an imported offer: no person typed it


class FranceTravailRefuse(Exception):
    """France Travail refuses the platform (identifiers, parameters): retrying changes nothing."""


class FranceTravailIndisponible(Exception):
    """France Travail did not answer, or not in the documented form: try again later."""


@dataclass(frozen=True)
class ConfigOffresFT:
    """From the environment only (core/settings.py); the secret never leaves this object."""

    url_api: str  # FRANCE_TRAVAIL_OFFRES_URL, up to « /offresdemploi »
    url_jeton: str  # FRANCE_TRAVAIL_JETON_URL
    client_id: str
    client_secret: SecretStr

    @property
    def configuree(self) -> bool:
        secret = self.client_secret.get_secret_value()
        return bool(self.url_api and self.url_jeton and self.client_id and secret)


def config_depuis(settings: Settings) -> ConfigOffresFT:
    return ConfigOffresFT(
        url_api=settings.france_travail_offres_url,
        url_jeton=settings.france_travail_jeton_url,
        client_id=settings.france_travail_client_id,
        client_secret=settings.france_travail_client_secret,
    )


NON_CONFIGURE = (
    "Import des offres de France Travail non configuré : réglez FRANCE_TRAVAIL_OFFRES_URL, "
    "FRANCE_TRAVAIL_JETON_URL, FRANCE_TRAVAIL_CLIENT_ID et FRANCE_TRAVAIL_CLIENT_SECRET"
)


@dataclass(frozen=True)
class Fenetre:
    """Offers created from ``debut`` to ``fin``, both included, to the second."""

    debut: datetime
    fin: datetime

    @staticmethod
    def _iso(instant: datetime) -> str:
        return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def parametres(self) -> dict[str, str]:
        return {"minCreationDate": self._iso(self.debut), "maxCreationDate": self._iso(self.fin)}

    @property
    def divisible(self) -> bool:
        return self.fin - self.debut > FENETRE_MIN

    def moities(self) -> tuple[Fenetre, Fenetre]:
        """Two windows that do not overlap (the second starts one second later)."""
        milieu = (self.debut + (self.fin - self.debut) / 2).replace(microsecond=0)
        return Fenetre(self.debut, milieu), Fenetre(milieu + timedelta(seconds=1), self.fin)


@dataclass(frozen=True)
class Page:
    offres: list[dict[str, Any]]
    total: int


CONTENT_RANGE = re.compile(r"^\s*offres\s+(\d+)-(\d+)/(\d+)\s*$")


def lire_content_range(valeur: str | None) -> int | None:
    """The total of « offres 0-149/353 »; None when absent or unreadable."""
    trouve = CONTENT_RANGE.match(valeur or "")
    return int(trouve.group(3)) if trouve else None


class ClientOffresFT:
    def __init__(self, config: ConfigOffresFT, http: httpx.AsyncClient) -> None:
        self.config = config
        self.http = http
        self._jeton: str | None = None

    async def _obtenir_jeton(self) -> str:
        donnees = {
            "grant_type": "client_credentials",
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret.get_secret_value(),
            "scope": SCOPE,
        }
        reponse = await self._appel("POST", self.config.url_jeton, data=donnees)
        if reponse.status_code in (400, 401, 403):
            raise FranceTravailRefuse(
                f"France Travail refuse les identifiants ({reponse.status_code}) : vérifiez "
                "FRANCE_TRAVAIL_CLIENT_ID et FRANCE_TRAVAIL_CLIENT_SECRET"
            )
        self._indisponible_si_erreur(reponse, "l'authentification")
        try:
            jeton = reponse.json()["access_token"]
        except (ValueError, KeyError, TypeError):
            jeton = None
        if not isinstance(jeton, str) or not jeton:
            raise FranceTravailIndisponible("France Travail a répondu sans jeton d'accès")
        return jeton

    async def _appel(self, methode: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self.http.request(methode, url, timeout=DELAI, **kwargs)
        except httpx.TransportError as err:
            raise FranceTravailIndisponible(
                f"France Travail est injoignable ({type(err).__name__})"
            ) from None

    @staticmethod
    def _indisponible_si_erreur(reponse: httpx.Response, quoi: str) -> None:
        if reponse.status_code == 429 or reponse.status_code >= 500:
            raise FranceTravailIndisponible(
                f"France Travail est indisponible pour {quoi} ({reponse.status_code})"
            )
        if reponse.status_code >= 400:
            raise FranceTravailRefuse(
                f"France Travail refuse {quoi} ({reponse.status_code}) : {reponse.text[:200]}"
            )

    async def page(self, debut: int, fin: int, fenetre: Fenetre | None = None) -> Page:
        """One range of the département's offers (created in ``fenetre`` when given). A token
        refused (expired) is asked again once."""
        parametres = {"departement": DEPARTEMENT, "range": f"{debut}-{fin}"}
        if fenetre is not None:
            parametres |= fenetre.parametres()
        for essai in (1, 2):
            if self._jeton is None:
                self._jeton = await self._obtenir_jeton()
            reponse = await self._appel(
                "GET",
                f"{self.config.url_api.rstrip('/')}/v2/offres/search",
                params=parametres,
                headers={"Authorization": f"Bearer {self._jeton}", "Accept": "application/json"},
            )
            if reponse.status_code == 401 and essai == 1:
                self._jeton = None
                continue
            if reponse.status_code in (401, 403):
                raise FranceTravailRefuse(
                    f"France Travail refuse l'accès aux offres ({reponse.status_code}) : vérifiez "
                    "l'abonnement de FRANCE_TRAVAIL_CLIENT_ID à l'API Offres d'emploi v2"
                )
            return self._lire(reponse)
        raise AssertionError("unreachable")  # pragma: no cover

    def _lire(self, reponse: httpx.Response) -> Page:
        if reponse.status_code == 204:
            return Page([], 0)
        self._indisponible_si_erreur(reponse, "la recherche d'offres")
        try:
            corps = reponse.json()
        except ValueError:
            corps = None
        offres = corps.get("resultats") if isinstance(corps, dict) else None
        if not isinstance(offres, list) or not all(isinstance(o, dict) for o in offres):
            raise FranceTravailIndisponible(
                "France Travail a répondu sans la forme d'une recherche (« resultats »)"
            )
        total = lire_content_range(reponse.headers.get("Content-Range"))
        return Page(offres, total if total is not None else len(offres))


@dataclass
class Lecture:
    """Every offer listed, and whether the listing was whole (else nothing may be closed)."""

    offres: list[dict[str, Any]]
    total: int
    complete: bool


async def _recherche(
    client: ClientOffresFT, taille: int, fenetre: Fenetre | None, instant: datetime
) -> tuple[list[dict[str, Any]], int]:
    """The offers of one search and the total it announces; a search past 1 150 offers is
    read as the two halves of its creation window, each the same way."""
    premiere = await client.page(0, min(taille, PLAFOND) - 1, fenetre)
    if premiere.total > PLAFOND and (fenetre is None or fenetre.divisible):
        entiere = fenetre or Fenetre(FENETRE_DEPUIS, instant + MARGE_FIN)
        offres: list[dict[str, Any]] = []
        for moitie in entiere.moities():
            offres += (await _recherche(client, taille, moitie, instant))[0]
        return offres, premiere.total
    offres = list(premiere.offres)
    while offres and len(offres) < min(premiere.total, PLAFOND):
        # past 1000 the API takes no start: the last range is 1000-1149, its first offers
        # already read (pages of 150 end at 1049)
        depart = min(len(offres), DEBUT_MAX)
        page = await client.page(depart, min(depart + taille - 1, FIN_MAX), fenetre)
        nouvelles = page.offres[len(offres) - depart :]
        if not nouvelles:
            break
        offres += nouvelles
    return offres, premiere.total


async def lire_le_departement(
    client: ClientOffresFT, taille: int = TAILLE_PAGE, instant: datetime | None = None
) -> Lecture:
    offres, total = await _recherche(client, taille, None, instant or datetime.now(UTC))
    identifiants = {o.get("id") for o in offres}
    # Offset pages shift when offers come and go while we read, and a window of an hour may
    # still hold more than 1 150: closing an offer we merely did not see would be wrong.
    complete = len(identifiants) == len(offres) == total
    return Lecture(offres, total, complete)


# France Travail's contract codes (referentiel « typesContrats », as les-emplois maps them in
# sync_ft_offers.py) → the platform's; franchise, liberal, commission, takeover: not a job.
CONTRATS = {
    "CDI": TypeContratTravail.CDI,
    "DIN": TypeContratTravail.CDI,  # CDI intérimaire
    "CDD": TypeContratTravail.CDD,
    "SAI": TypeContratTravail.CDD,  # saisonnier: a fixed-term contract
    "MIS": TypeContratTravail.INTERIM,
    "TTI": TypeContratTravail.INTERIM,  # travail temporaire d'insertion
    "DDI": TypeContratTravail.CDDI,  # CDD d'insertion
}
# Compared without accents, case, spaces or punctuation (« Travail en équipes », « week-end »).
DECALES = ("nuit", "equipe", "weekend", "samedi", "dimanche", "decale", "irregulier", "variable")
HEURES = re.compile(r"(\d{1,2})\s*H\s*(\d{2})?", re.IGNORECASE)


@dataclass
class OffreLue:
    reference: str
    siret: str | None  # the public search seldom gives it: the offer is kept without
    nom_entreprise: str
    intitule: str
    code_rome: str
    code_postal: str
    commune: str
    commune_insee: str | None
    type_contrat: TypeContratTravail
    heures_hebdomadaires: float | None
    horaires: str | None
    permis_requis: bool
    horaires_decales: bool


def _contrat(offre: dict[str, Any]) -> TypeContratTravail | None:
    nature = simplifier(str(offre.get("natureContrat") or ""))
    if "apprentissage" in nature or "professionnalisation" in nature:
        return TypeContratTravail.APPRENTISSAGE
    if nature.startswith("cui") or "contratunique" in nature:
        return TypeContratTravail.CUI_CIE
    if "emploicompetences" in nature:
        return TypeContratTravail.PEC
    return CONTRATS.get(str(offre.get("typeContrat") or ""))


def _heures(libelle: str | None) -> float | None:
    trouve = HEURES.search(libelle or "")
    if not trouve:
        return None
    heures = int(trouve.group(1)) + int(trouve.group(2) or 0) / 60
    return round(heures, 2) if 0 < heures <= 48 else None


def lire_offre(offre: dict[str, Any]) -> OffreLue | str:
    """The platform's offer from France Travail's, or why it cannot be one (a short code)."""
    reference = offre.get("id")
    if not isinstance(reference, str) or not reference:
        return "sans_identifiant"
    entreprise = offre.get("entreprise") or {}
    try:
        siret: str | None = siret_normalise(str(entreprise.get("siret") or ""))
    except ValueError:
        siret = None  # kept, under the name France Travail gives: « entreprise non identifiée »
    code_rome = str(offre.get("romeCode") or "")
    if code_rome not in METIERS:
        return "rome_inconnu"
    contrat = _contrat(offre)
    if contrat is None:
        return "contrat_hors_champ"
    lieu = offre.get("lieuTravail") or {}
    libelle = str(lieu.get("libelle") or "")
    nom_commune = libelle.split(" - ", 1)[-1].strip() or "Haute-Savoie"
    duree = offre.get("dureeTravailLibelle")
    permis = offre.get("permis") or []
    return OffreLue(
        reference=reference,
        siret=siret,
        nom_entreprise=str(entreprise.get("nom") or "").strip(),
        intitule=str(offre.get("intitule") or offre.get("appellationlibelle") or code_rome)[:200],
        code_rome=code_rome,
        code_postal=str(lieu.get("codePostal") or ""),
        commune=nom_commune,
        commune_insee=lieu.get("commune") or None,
        type_contrat=contrat,
        heures_hebdomadaires=_heures(duree),
        horaires=str(duree)[:200] if duree else None,
        permis_requis=any(isinstance(p, dict) and p.get("exigence") == "E" for p in permis),
        horaires_decales=any(m in simplifier(str(duree or "")) for m in DECALES),
    )


@dataclass
class BilanOffresFT:
    lues: int = 0
    total: int = 0
    complete: bool = True
    ajoutees: int = 0
    mises_a_jour: int = 0
    reouvertes: int = 0
    fermees: int = 0
    entreprises_ajoutees: int = 0
    sans_siret: int = 0  # kept (added or updated) without their employer's SIRET
    ecartees: dict[str, int] = field(default_factory=dict)


async def _entreprise(
    session: AsyncSession, lue: OffreLue, commune: Any, instant: Any
) -> EntrepriseRow | None:
    """The directory's company of this SIRET; created (no duplicate) when unknown."""
    if lue.siret is None or await session.get(EntrepriseRow, lue.siret) is not None:
        return None
    return EntrepriseRow(
        siret=lue.siret,
        nom=lue.nom_entreprise or "Entreprise sans nom (offre France Travail)",
        code_postal=lue.code_postal or None,
        commune=commune.nom if commune else lue.commune,
        commune_insee=commune.insee if commune else None,
        bassin=bassin_de(commune, lue.code_postal, lue.commune),
        origine=OrigineEntreprise.FRANCE_TRAVAIL.value,
        cree_le=instant,
        mis_a_jour=instant,
    )


def _appliquer(row: OffreRow, lue: OffreLue, commune: Any) -> None:
    if lue.siret is not None:  # else the company a chargé attached it to stays
        row.siret = lue.siret
    row.entreprise_nom = lue.nom_entreprise or None
    row.intitule, row.code_rome = lue.intitule, lue.code_rome
    row.code_postal = lue.code_postal
    row.commune = commune.nom if commune else lue.commune
    row.commune_insee = commune.insee if commune else None
    row.bassin = bassin_de(commune, lue.code_postal, lue.commune)
    row.type_contrat = lue.type_contrat.value
    row.heures_hebdomadaires, row.horaires = lue.heures_hebdomadaires, lue.horaires
    row.permis_requis, row.horaires_decales = lue.permis_requis, lue.horaires_decales


async def enregistrer(session: AsyncSession, lecture: Lecture) -> BilanOffresFT:
    """One transaction: every offer listed added or updated (by France Travail's id, no
    duplicate); after a whole listing only, the open ones it did not list are closed. What
    the SPIE set (label « offre inclusive », « pourvue ») is kept."""
    bilan = BilanOffresFT(lues=len(lecture.offres), total=lecture.total, complete=lecture.complete)
    # the known offers read in the transaction that writes: a run and the command at once
    # cannot both add the same offer
    await ecriture(session)
    requete = select(OffreRow).where(OffreRow.source == SourceOffre.FRANCE_TRAVAIL.value)
    connues = {r.reference_externe: r for r in (await session.exec(requete)).all()}
    instant = maintenant()
    for brute in lecture.offres:
        lue = lire_offre(brute)
        if isinstance(lue, str):
            bilan.ecartees[lue] = bilan.ecartees.get(lue, 0) + 1
            continue
        commune = commune_de(lue.code_postal, lue.commune, lue.commune_insee)
        if (nouvelle := await _entreprise(session, lue, commune, instant)) is not None:
            session.add(nouvelle)
            await session.flush()
            bilan.entreprises_ajoutees += 1
        if lue.siret is None:
            bilan.sans_siret += 1
        row = connues.get(lue.reference)
        if row is None:
            row = OffreRow(
                id=f"ft-{lue.reference}",
                reference_externe=lue.reference,
                source=SourceOffre.FRANCE_TRAVAIL.value,
                statut=StatutOffre.OUVERTE.value,
                cree_par=AUTEUR,
                cree_le=instant,
                mis_a_jour=instant,
                siret=lue.siret,
                intitule=lue.intitule,
                code_rome=lue.code_rome,
                code_postal=lue.code_postal,
                commune=lue.commune,
                type_contrat=lue.type_contrat.value,
            )
            connues[lue.reference] = row
            bilan.ajoutees += 1
        elif row.statut == StatutOffre.FERMEE.value:
            row.statut = StatutOffre.OUVERTE.value  # back on France Travail
            bilan.reouvertes += 1
        else:
            bilan.mises_a_jour += 1
        _appliquer(row, lue, commune)
        row.mis_a_jour = instant
        session.add(row)
    if lecture.complete:
        listees = {o.get("id") for o in lecture.offres}
        for reference, row in connues.items():
            ouverte = row.statut in (StatutOffre.OUVERTE.value, StatutOffre.SUSPENDUE.value)
            if reference not in listees and ouverte:
                row.statut, row.mis_a_jour = StatutOffre.FERMEE.value, instant
                session.add(row)
                bilan.fermees += 1
    await session.commit()
    return bilan


async def importer(
    session: AsyncSession, client: ClientOffresFT, taille: int = TAILLE_PAGE
) -> BilanOffresFT:
    """Read the whole listing first, then write: a page refused or missing writes nothing."""
    lecture = await lire_le_departement(client, taille)
    bilan = await enregistrer(session, lecture)
    if not lecture.complete:
        log.warning(
            "Offres France Travail : %d lues sur %d annoncées, aucune fermée", bilan.lues,
            bilan.total,
        )  # fmt: skip
    return bilan


async def offres_importees(session: AsyncSession) -> list[OffreRow]:
    requete = select(OffreRow).where(OffreRow.source == SourceOffre.FRANCE_TRAVAIL.value)
    return list((await session.exec(requete.order_by(col(OffreRow.reference_externe)))).all())
