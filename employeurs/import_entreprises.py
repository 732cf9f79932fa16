"""Companies imported from a spreadsheet (CSV or XLSX) into the directory, with the reading
and the column mapping of the lists of people (importation/lecture.py, importation/colonnes.py).

Each row is checked as if typed (EntrepriseSaisie: SIRET by python-stdnum, NAF, postcode); a
mistake is reported with its row number and the file's own column header, in French. All or
nothing: while a row is wrong, nothing is written. A SIRET already in the directory is
updated with what the file gives (never emptied), a new one added: no duplicate."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs.annuaire import EmployeurRefuse, bassin_de, commune_de, maintenant
from importation.colonnes import Champ, manquants, proposer
from importation.lecture import FichierIllisible, Tableau, lire
from schemas.champ import champs
from schemas.employeur import EntrepriseSaisie, OrigineEntreprise
from schemas.erreurs import CodeErreur
from store.db import ecriture
from store.employeurs import EntrepriseRow

CHAMPS: tuple[Champ, ...] = (
    Champ(
        "siret",
        "SIRET",
        True,
        ("siret", "n° siret", "numéro siret", "siret établissement", "siret etablissement"),
    ),
    Champ(
        "nom",
        "Nom",
        True,
        ("nom", "raison sociale", "entreprise", "nom de l'entreprise", "dénomination", "enseigne"),
    ),
    Champ("naf", "Code NAF", False, ("naf", "code naf", "ape", "code ape", "naf/ape")),
    Champ("adresse", "Adresse", False, ("adresse", "adresse postale", "voie", "rue")),
    Champ("code_postal", "Code postal", False, ("code postal", "cp", "code post")),
    Champ("commune", "Commune", False, ("commune", "ville", "localité")),
)
LIBELLES = {c.code: c.libelle for c in CHAMPS}


@dataclass
class ErreurLigne:
    ligne: int  # as the spreadsheet numbers it: the headers are row 1
    colonne: str  # the file's header
    message: str

    def en_dict(self) -> dict[str, str]:
        return {"ligne": str(self.ligne), "champ": self.colonne, "message": self.message}


@dataclass
class BilanImportEntreprises:
    entetes: list[str]
    correspondance: dict[str, str]
    lignes: int = 0
    ajoutees: list[str] = field(default_factory=list)  # SIRETs
    mises_a_jour: list[str] = field(default_factory=list)
    erreurs: list[ErreurLigne] = field(default_factory=list)
    enregistre: bool = False


def _refus(erreurs: list[dict[str, str]], message: str) -> EmployeurRefuse:
    return EmployeurRefuse(422, message, CodeErreur.DONNEES_INVALIDES, erreurs)


def _tableau(nom_fichier: str, contenu: bytes) -> Tableau:
    try:
        return lire(nom_fichier, contenu)
    except FichierIllisible as err:
        raise _refus([{"champ": "contenu", "message": str(err)}], str(err)) from None


def _saisie(
    valeurs: dict[str, str], numero: int, correspondance: dict[str, str]
) -> EntrepriseSaisie | list[ErreurLigne]:
    donnees = {code: v for code, v in valeurs.items() if v}
    try:
        return EntrepriseSaisie(**donnees)
    except ValidationError as err:
        # pydantic's errors as fields with a French message (schemas/champ.py), each named
        # by the file's column
        return [
            ErreurLigne(numero, correspondance.get(e["champ"], e["champ"]), e["message"])
            for e in champs(err.errors(), skip_body=False)
        ]


async def importer(
    session: AsyncSession,
    nom_fichier: str,
    contenu: bytes,
    correspondance: dict[str, str] | None = None,
    *,
    confirmer: bool = False,
) -> BilanImportEntreprises:
    """Without ``confirmer``, what the file would do (nothing written); with it, written when
    no row is wrong. EmployeurRefuse (422) for an unreadable file or an incomplete mapping."""
    tableau = _tableau(nom_fichier, contenu)
    colonnes = correspondance or proposer(tableau.entetes, champs=CHAMPS)
    if erreurs := manquants(colonnes, tableau.entetes, CHAMPS):
        raise _refus(erreurs, "Correspondance des colonnes incomplète")
    bilan = BilanImportEntreprises(tableau.entetes, colonnes, lignes=len(tableau.lignes))
    index = {code: tableau.entetes.index(entete) for code, entete in colonnes.items()}
    vues: dict[str, int] = {}
    saisies: list[EntrepriseSaisie] = []
    for numero, ligne in enumerate(tableau.lignes, start=2):
        valeurs = {code: ligne[i].strip() for code, i in index.items()}
        saisie = _saisie(valeurs, numero, colonnes)
        if isinstance(saisie, list):
            bilan.erreurs += saisie
            continue
        if saisie.siret in vues:
            message = f"SIRET déjà présent ligne {vues[saisie.siret]}"
            bilan.erreurs.append(ErreurLigne(numero, colonnes["siret"], message))
            continue
        vues[saisie.siret] = numero
        saisies.append(saisie)
    if confirmer:
        await ecriture(session)  # read the known rows in the transaction that writes them
    connues = {s.siret: await session.get(EntrepriseRow, s.siret) for s in saisies}
    for saisie in saisies:
        (bilan.mises_a_jour if connues[saisie.siret] else bilan.ajoutees).append(saisie.siret)
    if not confirmer or bilan.erreurs:
        await session.rollback()
        return bilan
    session.add_all([_appliquer(connues[s.siret], s) for s in saisies])
    await session.commit()
    bilan.enregistre = True
    return bilan


def _appliquer(row: EntrepriseRow | None, saisie: EntrepriseSaisie) -> EntrepriseRow:
    """The row to write: a new one, or the known one with what the file gives (a blank cell
    leaves the directory's value)."""
    instant = maintenant()
    if row is None:
        row = EntrepriseRow(
            siret=saisie.siret,
            nom=saisie.nom or saisie.siret,
            origine=OrigineEntreprise.IMPORT.value,
            cree_le=instant,
            mis_a_jour=instant,
        )
    for champ in ("nom", "naf", "adresse", "code_postal", "commune"):
        if (valeur := getattr(saisie, champ)) is not None:
            setattr(row, champ, valeur)
    if saisie.code_postal or saisie.commune:
        commune = commune_de(row.code_postal, row.commune)
        row.commune = commune.nom if commune else row.commune
        row.commune_insee = commune.insee if commune else None
        row.bassin = bassin_de(commune, row.code_postal, row.commune)
        row.latitude = row.longitude = None  # the directory's position was of the old address
    row.mis_a_jour = instant
    return row
