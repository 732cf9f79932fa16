"""The messages about a rendez-vous are templates of one folder (issue 18, item 6): each renders
with its fictitious data and no missing field, reads as plain French, and says word for word
what the workflow sends today (the administrator's preview shows no other text)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from jinja2 import UndefinedError
from pydantic import BaseModel
from temporalio import workflow

from agendas.messages import GABARITS, LETTRES, LIMITE_SMS, MODELES, apercus, rendre
from core.clock import PARIS
from core.sms import compter
from schemas.appels import MARQUE_LIEN, Sms
from schemas.carnet import CanalLien
from schemas.common import Acteur, Ordre
from schemas.incident import TypeOperation
from schemas.invitation import (
    AnnulationParLaPersonne,
    ConvocationRdv,
    InvitationRdv,
    ReservationParLaPersonne,
    StatutInvitation,
)
from schemas.parcours import ParcoursState, PassagePhase, Phase
from schemas.rdv import ModeRdv, Rdv
from schemas.referent import ReferentAffecte
from schemas.regles import Canal, Rappel
from schemas.session_collective import AnnulationSession, DesinscriptionSession
from tests import factories
from workflows.declaration import animateur
from workflows.etapes import invitations, rappels, reservations, sessions
from workflows.etapes.base import jour_message, quand_message

# In August: the workflow writes « aout » in what it sends (GSM 03.38 has no « û »).
JOUR = date(2031, 8, 6)
DEBUT = datetime(2031, 8, 14, 9, 30, tzinfo=PARIS)
LIEU = "Maison des solidarités, 12 rue de l'Exemple"


def test_un_seul_dossier_et_un_gabarit_par_message() -> None:
    fichiers = {p.stem for p in GABARITS.glob("*.txt")}
    assert fichiers == {m.code for m in MODELES} | {lettre.code for lettre in LETTRES}
    assert {"invitation", "confirmation", "changement", "annulation", "rappel"} <= fichiers


@pytest.mark.parametrize("modele", [*MODELES, *LETTRES], ids=lambda m: m.code)
def test_chaque_gabarit_se_rend_sans_champ_manquant(modele: Any) -> None:
    texte = rendre(modele.code, modele.exemple)
    assert texte.startswith("Bonjour ")
    assert "{{" not in texte
    assert "{%" not in texte
    for champ in modele.exemple:  # each field of the example is needed: none may go missing
        if isinstance(modele.exemple[champ], bool):
            continue
        with pytest.raises(UndefinedError):
            rendre(modele.code, {k: v for k, v in modele.exemple.items() if k != champ})


# What a machine-made French sentence gets wrong: « de le », « à le », a vowel not elided.
FAUTES = re.compile(
    r"\b(de le|de les|à le|à les|de [aeéèiouyh]\w+|le [aeéèiouy]\w+|la [aeéèiouy]\w+|"
    r"que [aeéèiouy]\w+|jusque [aeéèiouy]\w+|se [aeéèiouy]\w+)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("apercu", apercus(), ids=lambda a: a.modele.code)
def test_chaque_message_est_en_francais_simple(apercu: Any) -> None:
    assert not FAUTES.findall(apercu.texte), apercu.texte
    assert "  " not in apercu.texte
    assert " ," not in apercu.texte
    assert " ." not in apercu.texte
    assert len(re.findall(r"[.!?:]\s", apercu.texte)) <= 3, "des phrases courtes"


@pytest.mark.parametrize("lettre", LETTRES, ids=lambda m: m.code)
def test_la_lettre_est_en_francais_simple(lettre: Any) -> None:
    texte = rendre(lettre.code, lettre.exemple)
    assert not FAUTES.findall(texte), texte
    assert "  " not in texte
    assert " ," not in texte


def test_le_rappel_tient_dans_la_limite_affichee() -> None:
    """The reminder goes at J-2 and J-1: the page shows its cost and the gateway's limit, and it
    fits that limit even with the longest place and the longest name the forms accept."""
    (rappel,) = [a for a in apercus() if a.modele.code == "rappel"]
    assert rappel.sms == compter(rappel.texte)
    assert rappel.sms.caracteres <= LIMITE_SMS
    exemple = rappel.modele.exemple | {"ou": "L" * 300, "professionnel": "N" * 200}
    assert len(rendre("rappel", exemple)) <= LIMITE_SMS


# --- the templates say what the workflow sends --------------------------------------------


@dataclass
class Envois:
    """Just enough of the workflow's context for the steps that send messages."""

    s: ParcoursState
    sms: list[str] = field(default_factory=list)

    def now(self) -> datetime:
        return datetime.combine(JOUR, datetime.min.time(), tzinfo=PARIS)

    def today(self) -> date:
        return JOUR

    def noter(self, *args: Any, **kwargs: Any) -> None:
        pass

    def lancer_operation(self, operation: TypeOperation, donnees: BaseModel) -> None:
        if isinstance(donnees, Sms):
            self.sms.append(donnees.texte)


def _etat() -> ParcoursState:
    a = factories.accueil_rsa(JOUR)
    return ParcoursState(
        parcours_id="p-gabarits",
        version=1,
        ouvert_le=JOUR,
        accueil=a,
        usager=a.usager,
        territoire=a.territoire,
        identifiants=a.identifiants,
        consentement=a.consentement,
        phase=Phase.ACCUEIL,
        phases=[PassagePhase(phase=Phase.ACCUEIL, du=JOUR)],
    )


def _donnees(s: ParcoursState, **autres: object) -> dict[str, object]:
    return {
        "prenom": s.usager.prenom,
        "professionnel": "Léa Exemple",
        "quand": quand_message(DEBUT),
        "ou": LIEU,
        "motif": "Signature du CER",
        **autres,
    }


def test_le_rappel_du_gabarit_est_celui_du_workflow() -> None:
    ctx = Envois(_etat())
    rdv = Rdv(
        id="r-1",
        date_heure=DEBUT,
        mode=ModeRdv.SUR_PLACE,
        lieu=LIEU,
        professionnel="Léa Exemple",
        objet="Signature du CER",
    )
    ctx.s.rdvs.append(rdv)
    rappels.envoyer_rappel(ctx, rdv, Rappel(code="j1", jours_avant=1, heure=10, canaux=[Canal.SMS]))  # type: ignore[arg-type]
    assert ctx.sms == [rendre("rappel", _donnees(ctx.s))]


@pytest.mark.parametrize("envoi", ["invitation", "relance"])
def test_l_invitation_du_gabarit_est_celle_du_workflow(envoi: str) -> None:
    ctx = Envois(_etat())
    invitation = InvitationRdv(
        id="p-gabari-inv-1",
        motif="cer",
        libelle="Signature du CER",
        referent_id="ref-exemple",
        canal=CanalLien.SMS,
        adresse_publique="https://parcours.example.fr",
        envoyee_le=JOUR,
        expire_le=JOUR + timedelta(days=10),
    )
    invitations._envoyer_liens(ctx, invitation, envoi)  # type: ignore[arg-type]
    attendu = rendre(
        "invitation",
        _donnees(
            ctx.s,
            relance=envoi == "relance",
            date_limite=jour_message(JOUR + timedelta(days=9)),
            lien=MARQUE_LIEN,
        ),
    )
    assert ctx.sms == [attendu]


async def test_la_convocation_du_gabarit_est_celle_du_workflow() -> None:
    ctx = Envois(_etat())
    convocation = ConvocationRdv(
        reservation_id="res-1",
        parcours_id=ctx.s.parcours_id,
        motif="cer",
        libelle="Signature du CER",
        debut=DEBUT,
        fin=DEBUT + timedelta(minutes=30),
        modalite=ModeRdv.SUR_PLACE,
        lieu=LIEU,
    )
    auteur = factories.LEA.model_copy(update={"nom": "Léa Exemple"})
    await reservations.convoquer(ctx, Ordre(donnees=convocation, auteur=auteur))  # type: ignore[arg-type]
    assert ctx.sms == [rendre("convocation", _donnees(ctx.s))]


def _invitation(**autres: Any) -> InvitationRdv:
    return InvitationRdv(
        id="p-gabari-inv-1",
        motif="cer",
        libelle="Signature du CER",
        referent_id="ref-exemple",
        canal=CanalLien.SMS,
        adresse_publique="https://parcours.example.fr",
        envoyee_le=JOUR,
        expire_le=JOUR + timedelta(days=10),
        **autres,
    )


def _reservation(debut: datetime) -> ReservationParLaPersonne:
    return ReservationParLaPersonne(
        invitation_id="p-gabari-inv-1",
        reservation_id=f"res-{debut.day}",
        debut=debut,
        modalite=ModeRdv.SUR_PLACE,
        lieu=LIEU,
    )


def _avec_rdv(s: ParcoursState, debut: datetime) -> ParcoursState:
    """The person booked, with their invitation, a rendez-vous with Léa Exemple."""
    s.rdvs.append(
        Rdv(
            id="r-1",
            date_heure=debut,
            mode=ModeRdv.SUR_PLACE,
            lieu=LIEU,
            professionnel="Léa Exemple",
            objet="Signature du CER",
            reservation_id=f"res-{debut.day}",
        )
    )
    s.invitations.append(_invitation(statut=StatutInvitation.RESERVEE, rdv_id="r-1"))
    return s


def _referent(nom: str) -> ReferentAffecte:
    return ReferentAffecte(referent=factories.LEA.model_copy(update={"nom": nom}), depuis=JOUR)


def _personne(donnees: BaseModel) -> Ordre[Any]:
    return Ordre(donnees=donnees, auteur=Acteur.plateforme())


async def test_la_confirmation_du_gabarit_est_celle_du_workflow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workflow, "patched", lambda _: False)  # outside a workflow
    s = _etat()
    s.invitations.append(_invitation())
    s.referent = _referent("Léa Exemple")
    ctx = Envois(s)
    ordre = _personne(_reservation(DEBUT))
    await reservations.reserver_par_la_personne(ctx, ordre)  # type: ignore[arg-type]
    assert ctx.sms == [rendre("confirmation", _donnees(s))]


async def test_le_changement_du_gabarit_est_celui_du_workflow() -> None:
    avant = DEBUT - timedelta(days=1)
    ctx = Envois(_avec_rdv(_etat(), avant))
    ordre = _personne(_reservation(DEBUT))
    await reservations.deplacer_par_la_personne(ctx, ordre)  # type: ignore[arg-type]
    attendu = _donnees(ctx.s, ancien_quand=quand_message(avant))
    assert ctx.sms == [rendre("changement", attendu)]


async def test_l_annulation_du_gabarit_est_celle_du_workflow() -> None:
    ctx = Envois(_avec_rdv(_etat(), DEBUT))
    donnees = AnnulationParLaPersonne(invitation_id="p-gabari-inv-1")
    ordre = _personne(donnees)
    await reservations.annuler_par_la_personne(ctx, ordre)  # type: ignore[arg-type]
    attendu = _donnees(ctx.s, date_limite=jour_message(JOUR + timedelta(days=9)))
    assert ctx.sms == [rendre("annulation", attendu)]


async def test_l_annulation_d_une_session_du_gabarit_est_celle_du_workflow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workflow, "patched", lambda _: True)  # outside a workflow
    s = _etat()
    s.rdvs.append(
        Rdv(
            id="r-1",
            date_heure=DEBUT,
            mode=ModeRdv.SUR_PLACE,
            lieu=LIEU,
            professionnel="Léa Exemple",
            objet="Information collective",
            reservation_id="insc-1",
        )
    )
    ctx = Envois(s)
    annulation = AnnulationSession(
        inscription_id="insc-1", session="Information RSA", motif="l'intervenante est malade"
    )
    ordre: Ordre[AnnulationSession] = Ordre(
        donnees=annulation, auteur=animateur("insc-1", "Léa Exemple")
    )
    await sessions.annuler(ctx, ordre)  # type: ignore[arg-type]
    attendu: dict[str, object] = {"prenom": s.usager.prenom, "quand": quand_message(DEBUT)}
    assert ctx.sms == [rendre("annulation_session", attendu | {"raison": annulation.motif})]


async def test_la_desinscription_d_une_session_du_gabarit_est_celle_du_workflow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workflow, "patched", lambda _: True)  # outside a workflow
    s = _etat()
    s.rdvs.append(
        Rdv(
            id="r-1",
            date_heure=DEBUT,
            mode=ModeRdv.SUR_PLACE,
            lieu=LIEU,
            professionnel="Léa Exemple",
            objet="Information collective",
            reservation_id="insc-1",
        )
    )
    ctx = Envois(s)
    desinscription = DesinscriptionSession(inscription_id="insc-1", session="Information RSA")
    ordre: Ordre[DesinscriptionSession] = Ordre(
        donnees=desinscription, auteur=animateur("insc-1", "Léa Exemple")
    )
    await sessions.desinscrire(ctx, ordre)  # type: ignore[arg-type]
    attendu: dict[str, object] = {"prenom": s.usager.prenom, "quand": quand_message(DEBUT)}
    assert ctx.sms == [rendre("desinscription_session", attendu)]
    assert compter(ctx.sms[0]).segments == 1  # one SMS, in the GSM alphabet
