"""The import of a list, end to end, below every route: prepare (read, map, check, match),
change the mapping, confirm (start the workflow), follow, report. The API, the cockpit and
the CLI call these functions and only translate their refusals."""

from __future__ import annotations

import contextlib
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from core import tableur
from importation import colonnes, nir, rapprochement
from importation.lecture import FichierIllisible, lire
from importation.lignes import analyser
from schemas.common import Acteur, Role, Territoire
from schemas.imports import DemandeImport
from schemas.parcours import Accueil, OrigineAccueil
from store.comptes import Compte
from store.db import ecriture
from store.imports import CorrespondanceRow, ImportLigneRow, ImportRow

ACTIONS = {
    "ouvrir": "Ouvrir un parcours",
    "mettre_a_jour": "Mettre à jour les coordonnées",
    "deja_connu": "Déjà connu, rien à changer",
    "rejetee": "Rejetée",
}
RESULTATS = {
    "ouvert": "Parcours ouvert",
    "mis_a_jour": "Coordonnées mises à jour",
    "deja_connu": "Déjà connu",
    "rejetee": "Rejetée",
    "echec": "Échec",
}
A_TRAITER = ("ouvrir", "mettre_a_jour")


class ImportRefuse(Exception):
    """A refusal the caller translates: HTTP-like status, French message, fields to fix."""

    def __init__(
        self, status: int, message: str, code: str, erreurs: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.erreurs = status, message, code, erreurs or []


@dataclass
class Bilan:
    id: str
    source: str
    nom_fichier: str
    statut: str
    actions: dict[str, int]
    resultats: dict[str, int]
    a_traiter: int
    faits: int
    entetes: list[str] = field(default_factory=list)
    correspondance: dict[str, str] = field(default_factory=dict)

    @property
    def pourcentage(self) -> int:
        return 100 if self.a_traiter == 0 else round(100 * self.faits / self.a_traiter)


def workflow_id(import_id: str) -> str:
    return f"import-{import_id}"


def parcours_id(import_id: str, numero: int) -> str:
    """The parcours a row opens: the same on every attempt, so a retry finds it instead of
    opening a second one (the workflow id rejects duplicates)."""
    return str(uuid.uuid5(uuid.UUID(import_id), f"ligne-{numero}"))


def _maintenant() -> datetime:
    return datetime.now(UTC)


async def preparer(
    session: AsyncSession,
    demande: DemandeImport,
    contenu: bytes,
    *,
    auteur: Acteur,
    territoire: Territoire | None,
    jour: date,
) -> ImportRow:
    """Read the file, propose the mapping (the source's last one first), check and match
    every row; nothing is opened before ``confirmer``."""
    try:
        tableau = lire(demande.nom_fichier, contenu)
    except FichierIllisible as err:
        raise ImportRefuse(
            422, str(err), "fichier_illisible", [{"champ": "contenu", "message": str(err)}]
        ) from None
    await ecriture(session)  # SQLite: one writer at a time, taken before the first read
    await _verifier_referent(session, demande.referent_id, territoire)
    enregistree = await session.get(CorrespondanceRow, demande.source)
    correspondance = demande.correspondance or colonnes.proposer(
        tableau.entetes, enregistree.correspondance if enregistree else None
    )
    imp = ImportRow(
        id=str(uuid.uuid4()),
        source=demande.source,
        nom_fichier=demande.nom_fichier,
        territoire=territoire.value if territoire else None,
        auteur=auteur.model_dump(mode="json"),
        referent_id=demande.referent_id,
        origine=demande.origine.value,
        correspondance=correspondance,
        entetes=tableau.entetes,
        statut="apercu",
        cree_le=_maintenant(),
    )
    lignes = [
        ImportLigneRow(
            import_id=imp.id,
            numero=n,
            brut=dict(zip(tableau.entetes, v, strict=True)),
            action="rejetee",
            # given, not defaulted: pydantic inspects a builtin default factory's signature on
            # every row (half a second per 1,000 rows of a list, measured by `make bench`)
            erreurs=[],
            remarques=[],
        )
        for n, v in enumerate(tableau.lignes, start=2)
    ]
    # a column named like a NIR is sealed even when not mapped: it is never stored in clear
    _sceller_les_nir(lignes, correspondance, colonnes.proposer(tableau.entetes).get("nir"))
    await _analyser(session, imp, lignes, demande.origine, jour)
    session.add(imp)
    await session.flush()  # the import before its rows (no ORM relationship orders them)
    session.add_all(lignes)
    await session.commit()
    return imp


def _sceller_les_nir(
    lignes: list[ImportLigneRow], correspondance: dict[str, str], *autres: str | None
) -> None:
    """The NIR's column becomes its HMAC (or why it is invalid) in every row, before anything
    is written (importation/nir.py)."""
    entetes = {e for e in (correspondance.get("nir"), *autres) if e}
    for ligne in lignes:
        if any(ligne.brut.get(e) for e in entetes):
            ligne.brut = ligne.brut | {e: nir.sceller(ligne.brut.get(e, "")) for e in entetes}


async def _verifier_referent(
    session: AsyncSession, compte_id: str | None, territoire: Territoire | None
) -> None:
    """The référent the opened parcours go to: an active référent (of the coordinator's
    territory), else 422 on ``referent_id`` — never parcours silently left without one."""
    if compte_id is None:
        return
    compte = await session.get(Compte, compte_id)
    if (
        compte is None
        or not compte.actif
        or compte.role != Role.REFERENT.value
        or (territoire is not None and compte.territoire != territoire.value)
    ):
        message = f"Aucun référent actif de votre territoire n'a l'identifiant « {compte_id[:80]} »"
        raise ImportRefuse(
            422, message, "referent_inconnu", [{"champ": "referent_id", "message": message}]
        )


async def _analyser(
    session: AsyncSession,
    imp: ImportRow,
    lignes: list[ImportLigneRow],
    origine: OrigineAccueil,
    jour: date,
) -> None:
    """Decide what each row will do with the import's current mapping."""
    erreurs_de_correspondance = colonnes.manquants(imp.correspondance, imp.entetes)
    territoire = Territoire(imp.territoire) if imp.territoire else None
    valides: list[tuple[ImportLigneRow, Accueil, str]] = []
    colonne_nir = imp.correspondance.get("nir")
    for ligne in lignes:
        ligne.accueil, ligne.cle_identite, ligne.parcours_id = None, None, None
        ligne.nir_empreinte, ligne.remarques = None, []
        if erreurs_de_correspondance:
            ligne.action, ligne.erreurs = "rejetee", erreurs_de_correspondance
            continue
        valeurs = {
            champ: ligne.brut.get(entete, "")
            for champ, entete in imp.correspondance.items()
            if champ != "nir"  # the accueil never carries it, nor the parcours' state
        }
        analyse = analyser(valeurs, jour, origine=origine, territoire=territoire)
        ligne.erreurs, ligne.remarques = analyse.erreurs, analyse.remarques
        if colonne_nir:
            ligne.nir_empreinte, raison = nir.lire(ligne.brut.get(colonne_nir, ""))
            if raison:
                message = f"NIR (colonne « {colonne_nir} ») : {raison}"
                ligne.erreurs = [*ligne.erreurs, {"champ": "nir", "message": message}]
        if analyse.accueil is None or analyse.cle is None or ligne.erreurs:
            ligne.action = "rejetee"
            continue
        ligne.accueil = analyse.accueil.model_dump(mode="json")
        ligne.cle_identite = analyse.cle
        valides.append((ligne, analyse.accueil, analyse.cle))
    await _rapprocher(session, imp, valides)


async def _rapprocher(
    session: AsyncSession, imp: ImportRow, valides: list[tuple[ImportLigneRow, Accueil, str]]
) -> None:
    connus = await rapprochement.connus(
        session, [(a, c) for _, a, c in valides], [ligne.nir_empreinte for ligne, _, _ in valides]
    )
    vus: dict[str, int] = {}  # a person twice in the same file: the first row counts
    for ligne, accueil, cle in valides:
        cles = [cle, *(f"{k}:{v}" for k, v in accueil.identifiants.pairs())]
        if ligne.nir_empreinte:
            cles.append(f"nir:{ligne.nir_empreinte}")
        premiere = next((vus[c] for c in cles if c in vus), None)
        if premiere is not None:
            ligne.action = "rejetee"
            ligne.erreurs = [{"champ": "nom", "message": f"Même personne qu'à la ligne {premiere}"}]
            continue
        vus.update(dict.fromkeys(cles, ligne.numero))
        connu = connus.trouver(accueil, cle, ligne.nir_empreinte)
        if connu is None:
            ligne.action, ligne.parcours_id = "ouvrir", parcours_id(imp.id, ligne.numero)
            continue
        ligne.parcours_id = connu
        changes = rapprochement.nouveautes(accueil, connus.personne.get(connu))
        ligne.action = "mettre_a_jour" if changes else "deja_connu"
        if changes:
            libelles = ", ".join(colonnes.PAR_CODE[c].libelle.lower() for c in changes)
            ligne.remarques = [*ligne.remarques, f"À mettre à jour : {libelles}"]


async def charger(session: AsyncSession, import_id: str) -> ImportRow:
    imp = await session.get(ImportRow, import_id)
    if imp is None:
        raise ImportRefuse(404, "Import introuvable", "import_inconnu")
    return imp


async def lignes_de(session: AsyncSession, import_id: str) -> list[ImportLigneRow]:
    q = select(ImportLigneRow).where(ImportLigneRow.import_id == import_id)
    return list((await session.exec(q.order_by(col(ImportLigneRow.numero)))).all())


async def changer_correspondance(
    session: AsyncSession,
    imp: ImportRow,
    correspondance: dict[str, str],
    jour: date,
) -> ImportRow:
    if imp.statut != "apercu":
        raise ImportRefuse(
            409, "Import déjà confirmé : la correspondance ne change plus", "import_confirme"
        )
    await ecriture(session)
    imp.correspondance = {k: v for k, v in correspondance.items() if v}
    lignes = await lignes_de(session, imp.id)
    _sceller_les_nir(lignes, imp.correspondance)
    await _analyser(session, imp, lignes, OrigineAccueil(imp.origine), jour)
    session.add(imp)
    session.add_all(lignes)
    await session.commit()
    return imp


async def confirmer(
    session: AsyncSession, temporal: Client, imp: ImportRow, task_queue: str
) -> ImportRow:
    """Start the workflow (once: confirming twice starts nothing more) and keep the mapping
    for the next file of this source."""
    if imp.statut == "apercu":
        await ecriture(session)
        if colonnes.manquants(imp.correspondance, imp.entetes):
            raise ImportRefuse(
                422,
                "Correspondance des colonnes incomplète",
                "correspondance",
                colonnes.manquants(imp.correspondance, imp.entetes),
            )
        for ligne in await lignes_de(session, imp.id):
            if ligne.action not in A_TRAITER:
                ligne.resultat = ligne.action
                session.add(ligne)
        await session.merge(
            CorrespondanceRow(
                source=imp.source, correspondance=imp.correspondance, mis_a_jour=_maintenant()
            )
        )
        imp.statut = "en_cours"
        session.add(imp)
        await session.commit()
    if imp.statut == "en_cours":
        # already started: confirmed twice, or after a restart; the running workflow goes on
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await temporal.start_workflow(
                "ImportPersonnes",
                imp.id,
                id=workflow_id(imp.id),
                task_queue=task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
    return imp


async def bilan(session: AsyncSession, imp: ImportRow) -> Bilan:
    """Counted by the database: the progress bar asks every second while an import runs, and
    loading 5,000 rows (their file cells and accueil) each time cost the web 20 ms of CPU per
    parcours opened (issue 16)."""
    q = select(ImportLigneRow.action, ImportLigneRow.resultat, func.count()).where(
        ImportLigneRow.import_id == imp.id
    )
    comptes = (
        await session.exec(q.group_by(col(ImportLigneRow.action), col(ImportLigneRow.resultat)))
    ).all()
    actions: Counter[str] = Counter()
    resultats: Counter[str] = Counter()
    a_traiter = faits = 0
    for action, resultat, n in comptes:
        actions[action] += n
        if resultat:
            resultats[resultat] += n
        if action in A_TRAITER:
            a_traiter += n
            faits += n if resultat else 0
    return Bilan(
        id=imp.id,
        source=imp.source,
        nom_fichier=imp.nom_fichier,
        statut=imp.statut,
        actions={a: actions.get(a, 0) for a in ACTIONS},
        resultats={r: resultats.get(r, 0) for r in RESULTATS},
        a_traiter=a_traiter,
        faits=faits,
        entetes=imp.entetes,
        correspondance=imp.correspondance,
    )


async def rapport_csv(session: AsyncSession, imp: ImportRow) -> str:
    """Every row and its outcome, for the coordinator's records (semicolons: Excel in French)."""
    sortie, ecrivain = tableur.ecrivain()  # no cell can run as a formula
    ecrivain.writerow(
        ["Ligne", "Nom", "Prénom", "Action prévue", "Résultat", "Parcours", "Erreurs et remarques"]
    )
    for ligne in await lignes_de(session, imp.id):
        usager: dict[str, Any] = (ligne.accueil or {}).get("usager", {})
        nom = usager.get("nom") or ligne.brut.get(imp.correspondance.get("nom", ""), "")
        prenom = usager.get("prenom") or ligne.brut.get(imp.correspondance.get("prenom", ""), "")
        notes = (
            [e["message"] for e in ligne.erreurs]
            + ligne.remarques
            + ([ligne.message] if ligne.message else [])
        )
        ecrivain.writerow(
            [
                ligne.numero,
                nom,
                prenom,
                ACTIONS[ligne.action],
                RESULTATS.get(ligne.resultat or "", "En attente"),
                (ligne.parcours_id or "")[:8].upper(),
                " ; ".join(notes),
            ]
        )
    return sortie.getvalue()
