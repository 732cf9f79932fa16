"""Importing a partner's batch file: each line becomes a CloudEvent of the catalogue and takes
the very path of one received by the event API — the same checks (``reception.analyser``), the
same idempotent storage and routing (``enregistrement.enregistrer``), then the dispatcher
delivers it in the order received, and what no open parcours claims waits « à rapprocher ».

A file is read once (its SHA-256 is kept with its report); an event id is stable per fact, so
that the same file dropped again, or the next flux repeating the same state, doubles nothing.
Each line ends up counted somewhere in the report: delivered, to reconcile, already received,
without effect, or refused with its reason. An unreadable file is reported whole.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.partners import PartnerConfig
from partenaires.enregistrement import enregistrer
from partenaires.lots import caf, flux_france_travail
from partenaires.lots.caf import FichierIllisible
from partenaires.reception import analyser
from partenaires.refus import RefusEvenement
from partenaires.routage import parcours_ouverts
from schemas.evenements import CATALOGUE
from schemas.lots import FichierDepose, LigneEvenement, LigneSansEvenement, RapportFichier
from services.utilisateur import partenaire_utilisateur
from store.connecteurs import noter
from store.db import SessionFactory, ecriture
from store.evenements_partenaires import EvenementRecu, StatutReception
from store.lots import FichierImporte

Ligne = LigneEvenement | LigneSansEvenement
# A partner's reader, given the file's name and bytes (France Travail's drop directory holds
# the « principal » extract and the four flows, told apart by name).
LECTEURS: dict[str, Callable[[str, bytes], Iterator[Ligne]]] = {
    "caf": lambda _nom, contenu: caf.lignes(contenu),
    "france-travail": flux_france_travail.lignes_du_fichier,
}
OUVERTS = "fr.caf.rsa.droits-ouverts"
TAILLE_MAX = 200 * 1024 * 1024  # a département's monthly flux is tens of MiB


def empreinte(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def deposes(config: PartnerConfig) -> list[FichierDepose]:
    """The files of the partner's drop directory, by name (flux names carry their date):
    the order they are imported in. Hidden files (a transfer in progress) are left."""
    if config.depot is None or config.id not in LECTEURS:
        return []
    dossier = Path(config.depot)
    if not dossier.is_dir():
        raise FileNotFoundError(f"Répertoire de dépôt introuvable : {dossier}")
    return [
        FichierDepose(
            partenaire=config.id,
            chemin=str(f),
            nom=f.name,
            empreinte=empreinte(f.read_bytes()),
        )
        for f in sorted(dossier.iterdir())
        if f.is_file() and not f.name.startswith(".") and f.stat().st_size <= TAILLE_MAX
    ]


async def nouveaux(sessions: SessionFactory, fichiers: list[FichierDepose]) -> list[FichierDepose]:
    """Those not imported yet (a file already read is not read again)."""
    async with sessions() as session:
        connus = set(
            (
                await session.exec(
                    select(FichierImporte.empreinte).where(
                        col(FichierImporte.empreinte).in_([f.empreinte for f in fichiers])
                    )
                )
            ).all()
        )
    vus: set[str] = set()
    reste = []
    for f in fichiers:
        if f.empreinte not in connus | vus:
            vus.add(f.empreinte)
            reste.append(f)
    return reste


def cloud_event(config: PartnerConfig, ligne: LigneEvenement) -> bytes:
    return json.dumps(
        {
            "specversion": "1.0",
            "id": ligne.id,
            "source": config.source,
            "type": ligne.type,
            "subject": ligne.sujet,
            "time": ligne.survenu_le.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "datacontenttype": "application/json",
            "data": ligne.data,
        }
    ).encode()


def raison(refus: RefusEvenement) -> str:
    if not refus.erreurs or refus.message.startswith("Champ "):
        return refus.message
    return f"{refus.message} : " + " ; ".join(
        f"{e['champ']} : {e['message']}" for e in refus.erreurs
    )


async def _toujours_ouverts(session: AsyncSession, config: PartnerConfig, sujet: str) -> bool:
    """Rights open, and the last fact stored for this allocataire says so already: the monthly
    flux repeats every open dossier, only a change of state is an event."""
    dernier = (
        await session.exec(
            select(EvenementRecu.type)
            .where(EvenementRecu.partenaire == config.id, EvenementRecu.sujet == sujet)
            .order_by(col(EvenementRecu.survenu_le).desc(), col(EvenementRecu.recu_le).desc())
            .limit(1)
        )
    ).first()
    await session.commit()
    return dernier == OUVERTS


async def _parcours_connu(session: AsyncSession, ligne: LigneEvenement) -> bool:
    """France Travail's stock lists every registered job seeker of the département: only those
    an open parcours already follows are news; the others would flood « à rapprocher »."""
    trouves = await parcours_ouverts(session, CATALOGUE[ligne.type].cle.value, ligne.sujet)
    await session.commit()
    return bool(trouves)


async def _evenement(
    session: AsyncSession, config: PartnerConfig, ligne: LigneEvenement, r: RapportFichier
) -> None:
    try:
        valide = analyser(cloud_event(config, ligne), config, ligne.id)
    except RefusEvenement as refus:
        r.refusees += 1
        r.lignes.append(LigneSansEvenement(numero=ligne.numero, raison=raison(refus)))
        return
    if ligne.type == OUVERTS and await _toujours_ouverts(session, config, ligne.sujet):
        r.deja_recues += 1
        return
    if ligne.parcours_connus_seulement and not await _parcours_connu(session, ligne):
        _sans_evenement(
            LigneSansEvenement(
                numero=ligne.numero,
                raison="Sans suite : ligne du stock sans parcours ouvert portant cet identifiant",
                refusee=False,
            ),
            r,
        )
        return
    row, nouveau = await enregistrer(
        session, valide, config.id, partenaire_utilisateur(config), None
    )
    if not nouveau:
        r.deja_recues += 1
    elif row.statut == StatutReception.A_RAPPROCHER.value:
        r.a_rapprocher += 1
    else:
        r.livrees += 1


def _sans_evenement(ligne: LigneSansEvenement, r: RapportFichier) -> None:
    if ligne.refusee:
        r.refusees += 1
    else:
        r.sans_suite += 1
    r.lignes.append(ligne)


async def _garder(session: AsyncSession, r: RapportFichier) -> None:
    await ecriture(session)
    session.add(
        FichierImporte(
            empreinte=r.empreinte,
            partenaire=r.partenaire,
            nom=r.nom,
            importe_le=datetime.now(UTC),
            lues=r.lues,
            livrees=r.livrees,
            a_rapprocher=r.a_rapprocher,
            deja_recues=r.deja_recues,
            sans_suite=r.sans_suite,
            refusees=r.refusees,
            lignes=[ligne.model_dump() for ligne in r.lignes],
            erreur=r.erreur,
        )
    )
    await session.commit()
    echec = f"Fichier « {r.nom} » illisible : {r.erreur}" if r.erreur else None
    await noter(session, r.partenaire, echec)


def rapport_existant(row: FichierImporte) -> RapportFichier:
    return RapportFichier(
        partenaire=row.partenaire,
        nom=row.nom,
        empreinte=row.empreinte,
        deja_importe=True,
        lues=row.lues,
        livrees=row.livrees,
        a_rapprocher=row.a_rapprocher,
        deja_recues=row.deja_recues,
        sans_suite=row.sans_suite,
        refusees=row.refusees,
        lignes=[LigneSansEvenement.model_validate(x) for x in row.lignes],
        erreur=row.erreur,
    )


async def importer(
    sessions: SessionFactory,
    config: PartnerConfig,
    fichier: FichierDepose,
    battement: Callable[[], None] = lambda: None,
) -> RapportFichier:
    """Import one file, line after line in its order; its report once through. A crash before
    the report imports the file again: its lines already stored count as already received."""
    contenu = await asyncio.to_thread(Path(fichier.chemin).read_bytes)
    r = RapportFichier(partenaire=config.id, nom=fichier.nom, empreinte=empreinte(contenu))
    async with sessions() as session:
        if (existant := await session.get(FichierImporte, r.empreinte)) is not None:
            return rapport_existant(existant)
        await session.commit()
        try:
            lignes = list(LECTEURS[config.id](fichier.nom, contenu))
        except FichierIllisible as err:
            r.erreur = str(err)
            lignes = []
        for ligne in lignes:
            battement()
            r.lues += 1
            if isinstance(ligne, LigneSansEvenement):
                _sans_evenement(ligne, r)
            else:
                await _evenement(session, config, ligne, r)
        await _garder(session, r)
    return r
