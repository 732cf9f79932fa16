"""Référent unique: warm handover (both told, former keeps read access, new one acknowledges)."""

from __future__ import annotations

from datetime import date, timedelta

from temporalio import workflow

from schemas.appels import Courriel
from schemas.common import Ordre, Role
from schemas.incident import TypeOperation
from schemas.parcours import Categorie, ParcoursState
from schemas.referent import (
    AccesTemporaire,
    AccuseTransfert,
    ReferentAffecte,
    Transfert,
    TransfertResolu,
)
from workflows import conditions
from workflows.declaration import (
    OUVERTES,
    REFERENT_OU_COORDINATION,
    CommandeRefusee,
    Qui,
    Transition,
)
from workflows.etapes.base import Commande, Contexte, verifier_jour

ACCES_ANCIEN_REFERENT_JOURS = 30
# workflow.patched() id: the new référent's message names its kind of notification (« transfert
# à accuser ») and the parcours to open; histories before it sent it without.
TRANSFERT_A_ACCUSER = "transfert-notifie-a-accuser"


def verifier_transfert(s: ParcoursState, t: TransfertResolu, today: date) -> None:
    verifier_jour(s, t.demande_le, today, "La date du transfert", "demande_le")
    if t.nouveau_referent.role != Role.REFERENT:
        raise CommandeRefusee("Le parcours ne peut être confié qu'à un compte de référent")
    if s.referent is not None and s.referent.referent.id == t.nouveau_referent.id:
        raise CommandeRefusee("Cette personne est déjà le référent du parcours")
    if s.organisme is not None and t.nouveau_referent.organisme != s.organisme:
        raise CommandeRefusee(
            f"Le nouveau référent doit appartenir à l'organisme référent ({s.organisme.label}) ; "
            "pour changer d'organisme, demandez une réorientation"
        )


async def transferer(ctx: Contexte, ordre: Ordre[TransfertResolu]) -> None:
    t, s = ordre.donnees, ctx.s
    ancien = s.referent.referent if s.referent else None
    if ancien is not None:
        s.acces_temporaires = [a for a in s.acces_temporaires if a.compte_id != ancien.id]
        s.acces_temporaires.append(
            AccesTemporaire(
                compte_id=ancien.id,
                motif="ancien référent",
                jusqu_au=t.demande_le + timedelta(days=ACCES_ANCIEN_REFERENT_JOURS),
            )
        )
    s.transfert = Transfert(
        de=ancien, vers=t.nouveau_referent, motif=t.motif, demande_le=t.demande_le
    )
    s.referent = ReferentAffecte(referent=t.nouveau_referent, depuis=t.demande_le)
    de = f" de {ancien.nom}" if ancien else ""
    ctx.noter(
        Categorie.REFERENT,
        "transfert_demande",
        f"Transfert{de} vers {t.nouveau_referent.nom} : {t.motif}",
        ordre.auteur,
        le=t.demande_le,
        details={"vers": t.nouveau_referent.id, "de": ancien.id if ancien else ""},
    )
    sorte = workflow.patched(TRANSFERT_A_ACCUSER)
    for destinataire in filter(None, (ancien, t.nouveau_referent)):
        a_accuser = sorte and destinataire is t.nouveau_referent
        ctx.lancer_operation(
            TypeOperation.ENVOYER_COURRIEL,
            Courriel(
                destinataire=f"compte:{destinataire.id}",
                sujet="Transfert d'un parcours",
                texte=(
                    f"Le parcours {s.parcours_id[:8]} est transféré{de} à {t.nouveau_referent.nom}. "
                    f"Motif : {t.motif}. Le nouveau référent doit en accuser réception."
                ),
                lien=f"/parcours/{s.parcours_id}" if sorte else None,
                sorte="transfert_a_accuser" if a_accuser else None,
            ),
        )


async def accuser(ctx: Contexte, ordre: Ordre[AccuseTransfert]) -> None:
    s = ctx.s
    assert s.transfert is not None
    if ordre.donnees.accuse_le < s.transfert.demande_le:
        raise CommandeRefusee(
            "L'accusé de réception ne peut pas précéder la demande de transfert", champ="accuse_le"
        )
    s.transfert = s.transfert.model_copy(update={"accuse_le": ordre.donnees.accuse_le})
    ctx.noter(
        Categorie.REFERENT,
        "transfert_accuse",
        f"{ordre.auteur.nom} a accusé réception du transfert",
        ordre.auteur,
        le=ordre.donnees.accuse_le,
    )


def verifier_accuse(s: ParcoursState, a: AccuseTransfert, today: date) -> None:
    verifier_jour(s, a.accuse_le, today, "La date de l'accusé de réception", "accuse_le")


# The commands this module handles: who may give them, when, and how the cockpit shows them
# (gathered and judged by workflows/transitions.py).
DECLARATIONS: list[Transition] = [
    Transition(
        "transferer_referent",
        "Transférer à un autre référent",
        TransfertResolu,
        OUVERTES,
        REFERENT_OU_COORDINATION,
        pendant_suspension=True,
        groupe="referent",
    ),
    Transition(
        "accuser_transfert",
        "Accuser réception du transfert",
        AccuseTransfert,
        OUVERTES,
        frozenset({Qui.NOUVEAU_REFERENT}),
        condition=conditions.transfert_en_attente,
        pendant_suspension=True,
        groupe="referent",
    ),
]

COMMANDES = {
    "transferer_referent": Commande(transferer, verifier_transfert),
    "accuser_transfert": Commande(accuser, verifier_accuse),
}
