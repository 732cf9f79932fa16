"""Who the workflow lets act for a collective session (issue 18, item 3): the organiser records
the attendance and cancels the appointment of each registration — only that registration's
appointment, never another of the parcours, and never the référent's own commands."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel
from temporalio import workflow

from core.clock import PARIS
from schemas.common import Ordre
from schemas.incident import TypeOperation
from schemas.parcours import ParcoursState, PassagePhase, Phase
from schemas.rdv import ModeRdv, Rdv, StatutRdv
from schemas.referent import ReferentAffecte
from schemas.session_collective import PresenceSession
from tests import factories
from workflows.declaration import CommandeRefusee, animateur
from workflows.etapes import sessions
from workflows.transitions import refus

JOUR = date(2031, 3, 12)


def _etat() -> ParcoursState:
    a = factories.accueil_rsa(JOUR - timedelta(days=30))
    s = ParcoursState(
        parcours_id="p-animateur",
        version=1,
        ouvert_le=a.accueilli_le,
        accueil=a,
        usager=a.usager,
        territoire=a.territoire,
        identifiants=a.identifiants,
        consentement=a.consentement,
        phase=Phase.ACCUEIL,
        phases=[PassagePhase(phase=Phase.ACCUEIL, du=a.accueilli_le)],
        referent=ReferentAffecte(referent=factories.LEA, depuis=a.accueilli_le),
    )
    for n, reservation in enumerate(("insc-session", "res-individuel")):
        s.rdvs.append(
            Rdv(
                id=f"r-{n}",
                date_heure=datetime(2031, 3, 10, 9, tzinfo=PARIS),
                mode=ModeRdv.SUR_PLACE,
                lieu="Salle du Salève",
                professionnel="Thomas Bernard",
                objet="Information collective",
                reservation_id=reservation,
            )
        )
    return s


def test_l_animateur_d_une_inscription_et_personne_d_autre() -> None:
    s = _etat()
    assert refus("noter_presence_session", s, animateur("insc-session", "Thomas Bernard")) is None
    assert refus("annuler_rdv_session", s, animateur("insc-session", "Thomas Bernard")) is None
    # a registration this parcours does not hold
    assert refus("noter_presence_session", s, animateur("insc-autre", "Thomas Bernard")) == (
        "« Noter la présence à une session collective (par son animateur) » est réservé à "
        "l'animateur de la session collective"
    )
    # the animator is not the référent: none of the référent's commands
    assert refus("renseigner_rdv", s, animateur("insc-session", "Thomas Bernard")) is not None
    assert refus("planifier_rdv", s, animateur("insc-session", "Thomas Bernard")) is not None
    # and the référent does not give the animator's commands (they have renseigner_rdv)
    assert refus("noter_presence_session", s, factories.LEA) is not None


class _Ctx:
    def __init__(self, s: ParcoursState) -> None:
        self.s = s

    def today(self) -> date:
        return JOUR

    def noter(self, *args: Any, **kwargs: Any) -> None:
        pass

    def lancer_operation(self, operation: TypeOperation, donnees: BaseModel) -> None:
        pass


async def test_l_animateur_ne_touche_pas_un_autre_rendez_vous(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The actor of one registration naming the appointment of another (the individual one
    with the référent, or another registration) is refused, and nothing changes."""
    monkeypatch.setattr(workflow, "patched", lambda _: True)  # outside a workflow
    s = _etat()
    presence = PresenceSession(
        inscription_id="res-individuel", statut=StatutRdv.NON_HONORE, session="Information"
    )
    ordre: Ordre[PresenceSession] = Ordre(
        donnees=presence, auteur=animateur("insc-session", "Thomas Bernard")
    )
    with pytest.raises(CommandeRefusee, match="n'est pas celui de cette session"):
        await sessions.noter_presence(_Ctx(s), ordre)  # type: ignore[arg-type]
    assert [r.statut for r in s.rdvs] == [StatutRdv.PREVU, StatutRdv.PREVU]

    a_lui = presence.model_copy(update={"inscription_id": "insc-session"})
    ordre = Ordre(donnees=a_lui, auteur=animateur("insc-session", "Thomas Bernard"))
    await sessions.noter_presence(_Ctx(s), ordre)  # type: ignore[arg-type]
    assert [r.statut for r in s.rdvs] == [StatutRdv.NON_HONORE, StatutRdv.PREVU]
