"""Structures and accounts from the command line (the same service as the cockpit and the API).

    python -m web.securite.comptes premier-admin <email> "<Prénom Nom>"
    python -m web.securite.comptes structure --par <admin> --nom "…" --type mission_locale \\
        --siret 12345678901234 --territoire bassin_annecien [--domaine ml74.fr]
    python -m web.securite.comptes structures --par <admin>
    python -m web.securite.comptes modifier-structure --par <admin> <structure_id> \\
        [--nom …] [--type …] [--siret …] [--territoire … (répétable)] [--contact-nom …] \\
        [--contact-email …] [--contact-telephone …]
    python -m web.securite.comptes creer --par <admin> <email> "<Prénom Nom>" <role> \\
        [--structure <id>] [--territoire <code>]
    python -m web.securite.comptes lister --par <admin> [--en-attente]
    python -m web.securite.comptes importer --par <admin> <structure> liste.xlsx [--confirmer]
    python -m web.securite.comptes desactiver|reactiver|reinitialiser --par <admin> <compte_id> \\
        [--tous-vers <référent>]
    python -m web.securite.comptes jetons --par <admin> <compte_id>
    python -m web.securite.comptes revoquer-jeton --par <admin> <compte_id> <jeton_id>

``premier-admin`` works only on an installation without administrator and prints the
activation link (the only time a link is shown: there may be no mail server yet). The other
commands act as the administrator ``--par`` and are audited under that name; their links
go by e-mail.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from core import journaux
from core.clock import local_day
from core.settings import Settings, get_settings
from core.sortie import terminer
from core.temporal import TASK_QUEUE, connect
from schemas.champ import champs
from schemas.erreurs import CodeErreur
from services.parcours_client import ParcoursClient
from services.utilisateur import Utilisateur
from store.comptes import Compte
from store.db import create_schema, make_engine, session_factory
from web.administration import activation, arrivees, import_comptes, service
from web.administration.schemas import (
    CompteSaisie,
    Desactivation,
    ImportComptes,
    StructureSaisie,
    StructureVue,
)
from web.erreurs import Refus

Action = Callable[[AsyncSession, Settings, argparse.Namespace], Awaitable[str]]


def _sortie(texte: str) -> None:
    print(texte)  # noqa: T201


async def _qui(session: AsyncSession, compte_id: str) -> Utilisateur:
    compte = await session.get(Compte, compte_id)
    if compte is None or not compte.actif:
        raise Refus(404, f"Compte inconnu ou désactivé : {compte_id}", CodeErreur.COMPTE_INCONNU)
    return Utilisateur.depuis_compte(compte)


async def _premier(session: AsyncSession, settings: Settings, a: argparse.Namespace) -> str:
    compte_id, lien = await arrivees.premier_administrateur(
        session, a.email, a.nom, settings.effective_public_url
    )
    return (
        f"Administrateur créé : {compte_id}\nLien d'activation (7 jours, une seule fois) :\n{lien}"
    )


async def _structure(session: AsyncSession, settings: Settings, a: argparse.Namespace) -> str:
    d = StructureSaisie(
        nom=a.nom,
        type=a.type,
        siret=a.siret,
        territoires=a.territoire,
        domaines=a.domaine or [],
        contact_nom=a.contact_nom,
        contact_email=a.contact_email,
        contact_telephone=a.contact_telephone,
    )
    vue = await service.creer_structure(session, await _qui(session, a.par), d)
    return vue.id


def _ligne_structure(s: StructureVue) -> str:
    contact = " ".join(x for x in (s.contact_nom, s.contact_email, s.contact_telephone) if x)
    territoires = ",".join(t.value for t in s.territoires)
    return f"{s.id}\t{s.nom}\t{s.type.value}\t{s.siret or '-'}\t{territoires}\t{contact or '-'}"


async def _structures(session: AsyncSession, settings: Settings, a: argparse.Namespace) -> str:
    structures = await service.lister_structures(session, await _qui(session, a.par))
    return "\n".join(_ligne_structure(s) for s in structures) or "Aucune structure"


async def _modifier_structure(
    session: AsyncSession, settings: Settings, a: argparse.Namespace
) -> str:
    """Only the options given change; the others keep the structure's current values."""
    u = await _qui(session, a.par)
    actuelle = service.vue_structure(await service.structure(session, u, a.structure_id))
    changes = {
        cle: valeur
        for cle, valeur in (
            ("nom", a.nom),
            ("type", a.type),
            ("siret", a.siret),
            ("territoires", a.territoire),
            ("domaines", a.domaine),
            ("contact_nom", a.contact_nom),
            ("contact_email", a.contact_email),
            ("contact_telephone", a.contact_telephone),
        )
        if valeur is not None
    }
    if not changes:
        raise Refus(422, "Rien à modifier : indiquez au moins une option", "rien_a_modifier")
    d = StructureSaisie.model_validate(actuelle.model_dump(include=CHAMPS_STRUCTURE) | changes)
    return _ligne_structure(await service.modifier_structure(session, u, a.structure_id, d))


CHAMPS_STRUCTURE = set(StructureSaisie.model_fields)


async def _jetons(session: AsyncSession, settings: Settings, a: argparse.Namespace) -> str:
    jetons = await service.jetons(session, await _qui(session, a.par), a.compte_id)
    return (
        "\n".join(
            f"{j.id}\t{j.nom}\t{j.cree_le:%d/%m/%Y}\t"
            + (
                "révoqué"
                if j.revoque
                else f"valide jusqu'au {j.expire_le:%d/%m/%Y}"
                if j.expire_le
                else "valide"
            )
            for j in jetons
        )
        or "Aucun jeton d'API"
    )


async def _revoquer_jeton(session: AsyncSession, settings: Settings, a: argparse.Namespace) -> str:
    u = await _qui(session, a.par)
    j = await service.revoquer_jeton(session, u, a.compte_id, a.jeton_id)
    return f"Jeton « {j.nom} » révoqué"


async def _creer(session: AsyncSession, settings: Settings, a: argparse.Namespace) -> str:
    d = CompteSaisie(
        email=a.email, nom=a.nom, role=a.role, structure_id=a.structure, territoire=a.territoire
    )
    vue, _ = await service.creer_compte(
        session,
        await _qui(session, a.par),
        d,
        adresse_publique=settings.effective_public_url,
        envoyer=activation.envoi_par_courriel(settings),
    )
    return f"{vue.id}\nLien d'activation envoyé à {vue.email}"


async def _lister(session: AsyncSession, settings: Settings, a: argparse.Namespace) -> str:
    comptes = await service.lister_comptes(
        session, await _qui(session, a.par), en_attente=a.en_attente
    )
    return "\n".join(
        f"{c.id}\t{c.email}\t{c.role.value}\t{c.structure_id or '-'}\t{c.statut}" for c in comptes
    )


async def _importer(session: AsyncSession, settings: Settings, a: argparse.Namespace) -> str:
    """A structure's list of professionals: the preview, or with --confirmer the accounts."""
    fichier = Path(a.fichier)
    d = ImportComptes(nom_fichier=fichier.name, contenu="-", confirmer=a.confirmer)
    bilan = await import_comptes.importer(
        session,
        await _qui(session, a.par),
        a.structure,
        d,
        await asyncio.to_thread(fichier.read_bytes),
        adresse_publique=settings.effective_public_url,
        envoyer=activation.envoi_par_courriel(settings),
    )
    lignes = [
        f"{ligne.numero}\t{ligne.email}\t"
        + (RESULTATS.get(ligne.resultat or "", "") or import_comptes.ACTIONS[ligne.action])
        + "".join(f"\t{e['message']}" for e in ligne.erreurs)
        for ligne in bilan.lignes
    ]
    total = " ; ".join(f"{import_comptes.ACTIONS[k]} : {n}" for k, n in bilan.actions.items())
    suite = "" if bilan.confirme else "\nAperçu seulement : relancez avec --confirmer"
    return "\n".join([*lignes, total]) + suite


RESULTATS = {"cree": "Compte créé, lien envoyé", "rejetee": "Rejetée"}


async def _moteur(settings: Settings) -> ParcoursClient:
    return ParcoursClient(await connect(settings), task_queue=TASK_QUEUE)


async def _changer(session: AsyncSession, settings: Settings, a: argparse.Namespace) -> str:
    u = await _qui(session, a.par)
    if a.action == "reactiver":
        vue = await service.reactiver(session, u, a.compte_id)
    elif a.action == "reinitialiser":
        vue = await service.reinitialiser(
            session,
            u,
            a.compte_id,
            adresse_publique=settings.effective_public_url,
            envoyer=activation.envoi_par_courriel(settings),
        )
    else:
        detenus = await service.parcours_detenus(session, a.compte_id)
        vue = await service.desactiver(
            session,
            u,
            a.compte_id,
            Desactivation(tous_vers=a.tous_vers),
            parcours=await _moteur(settings) if detenus else None,
            today=local_day(datetime.now(UTC)),
        )
    return f"{vue.id}\t{vue.statut_libelle}"


async def executer(action: Action, a: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.effective_database_url)
    await create_schema(engine)
    try:
        async with session_factory(engine)() as session:
            _sortie(await action(session, settings, a))
        return 0
    except Refus as err:
        details = "".join(f"\n  {e['champ']} : {e['message']}" for e in err.erreurs)
        journaux.erreur(f"{err.message}{details}")
        return 1
    except ValidationError as err:
        for e in champs(err.errors(), skip_body=False):
            journaux.erreur(f"{e['champ']} : {e['message']}")
        return 1
    finally:
        await engine.dispose()


def analyseur() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Structures et comptes de Parcours")
    sub = p.add_subparsers(dest="action", required=True)
    premier = sub.add_parser("premier-admin", help="Premier administrateur d'une installation")
    premier.add_argument("email")
    premier.add_argument("nom")
    premier.set_defaults(faire=_premier)
    s = sub.add_parser("structure", help="Créer une structure")
    s.add_argument("--par", required=True)
    s.add_argument("--nom", required=True)
    s.add_argument("--type", required=True)
    s.add_argument("--siret")
    s.add_argument("--territoire", action="append", required=True)
    s.add_argument("--domaine", action="append")
    s.add_argument("--contact-nom")
    s.add_argument("--contact-email")
    s.add_argument("--contact-telephone")
    s.set_defaults(faire=_structure)
    lst_s = sub.add_parser("structures", help="Les structures que --par administre")
    lst_s.add_argument("--par", required=True)
    lst_s.set_defaults(faire=_structures)
    ms = sub.add_parser("modifier-structure", help="Modifier une structure (options données)")
    ms.add_argument("--par", required=True)
    ms.add_argument("structure_id")
    ms.add_argument("--nom")
    ms.add_argument("--type")
    ms.add_argument("--siret")
    ms.add_argument("--territoire", action="append", help="Remplace les territoires (répétable)")
    ms.add_argument("--domaine", action="append", help="Remplace les domaines (répétable)")
    ms.add_argument("--contact-nom")
    ms.add_argument("--contact-email")
    ms.add_argument("--contact-telephone")
    ms.set_defaults(faire=_modifier_structure)
    c = sub.add_parser("creer", help="Créer un compte (lien d'activation par courriel)")
    c.add_argument("--par", required=True)
    c.add_argument("email")
    c.add_argument("nom")
    c.add_argument("role")
    c.add_argument("--structure")
    c.add_argument("--territoire")
    c.set_defaults(faire=_creer)
    lst = sub.add_parser("lister", help="Les comptes que --par administre")
    lst.add_argument("--par", required=True)
    lst.add_argument("--en-attente", action="store_true")
    lst.set_defaults(faire=_lister)
    imp = sub.add_parser("importer", help="Importer la liste des professionnels d'une structure")
    imp.add_argument("--par", required=True)
    imp.add_argument("structure")
    imp.add_argument("fichier", help="Fichier .xlsx ou .csv")
    imp.add_argument("--confirmer", action="store_true", help="Créer les comptes (sinon aperçu)")
    imp.set_defaults(faire=_importer)
    for nom in ("desactiver", "reactiver", "reinitialiser"):
        m = sub.add_parser(nom)
        m.add_argument("--par", required=True)
        m.add_argument("compte_id")
        if nom == "desactiver":
            m.add_argument("--tous-vers", help="Référent qui reprend ses parcours")
        m.set_defaults(faire=_changer)
    j = sub.add_parser("jetons", help="Les jetons d'API d'un compte")
    j.add_argument("--par", required=True)
    j.add_argument("compte_id")
    j.set_defaults(faire=_jetons)
    rj = sub.add_parser("revoquer-jeton", help="Révoquer un jeton d'API d'un compte")
    rj.add_argument("--par", required=True)
    rj.add_argument("compte_id")
    rj.add_argument("jeton_id", help="Identifiant donné par « jetons »")
    rj.set_defaults(faire=_revoquer_jeton)
    return p


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    a: Any = analyseur().parse_args(argv)
    return asyncio.run(executer(a.faire, a, settings or get_settings()))


if __name__ == "__main__":
    journaux.commande("comptes")
    terminer(main())
