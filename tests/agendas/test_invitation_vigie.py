"""An invitation nobody answers, at accelerated time (rules/vigie.yaml): at 3 days the vigie
raises « invitation_sans_reponse » and the parcours sends the person new links (relance); at
10 days the invitation expires into the rupture « invitation_expiree », which the
coordination sees; it clears the day the person books a slot from a new invitation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from schemas.carnet import CanalLien
from schemas.common import Acteur, Role
from schemas.invitation import EnvoiInvitation, ReservationParLaPersonne
from schemas.rdv import ModeRdv
from schemas.vigie import Severite
from services.parcours_client import CommandeImpossible, ParcoursClient
from tests.factories import CLAIRE, accueil_rsa, plus
from tests.fixtures.simulateur import Simulateur
from tests.workflows.temps import aller_au, attendre, codes

TELEPHONE = "06 98 76 54 41"  # no other test's
INVITATION = EnvoiInvitation(
    motif="accompagnement",
    libelle="Rendez-vous d'accompagnement",
    canal=CanalLien.SMS,
    adresse_publique="https://parcours.example",
)


async def test_relance_puis_expiration_puis_reservation(
    parcours: ParcoursClient,
    temporal_env: WorkflowEnvironment,
    aujourd_hui: date,
    simulateur: Simulateur,
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui, telephone=TELEPHONE), CLAIRE)
    pid = s.parcours_id
    s = await parcours.commander(pid, "inviter_rdv", INVITATION, CLAIRE)
    (invitation,) = s.invitations
    assert invitation.expire_le == plus(aujourd_hui, 10)

    await aller_au(temporal_env, plus(aujourd_hui, 2))
    s = await parcours.etat(pid)
    assert "invitation_relancee" not in [e.code for e in s.timeline]

    await aller_au(temporal_env, plus(aujourd_hui, 3))
    # attendre() gives the state back at its deadline: each wait is followed by its assertion.
    s = await attendre(parcours, pid, lambda st: "invitation_sans_reponse" in codes(st))
    assert "invitation_sans_reponse" in codes(s)
    s = await attendre(parcours, pid, lambda st: st.invitations[0].relancee)
    assert s.invitations[0].relancee
    assert [e.code for e in s.timeline].count("invitation_relancee") == 1
    textes = [m["texte"] for m in await simulateur.sms(telephone=TELEPHONE)]
    assert any("rappel : votre référent vous invite" in t for t in textes), textes

    await aller_au(temporal_env, plus(aujourd_hui, 10))
    s = await attendre(parcours, pid, lambda st: "invitation_expiree" in codes(st))
    assert "invitation_expiree" in codes(s)
    (rupture,) = [a for a in s.alertes if a.code == "invitation_expiree"]
    assert rupture.severite == Severite.RUPTURE
    assert "invitation_sans_reponse" not in codes(s)
    assert [e.code for e in s.timeline].count("invitation_relancee") == 1  # once only

    # The référent invites again; the person books from the new link.
    s = await parcours.commander(pid, "inviter_rdv", INVITATION, CLAIRE)
    nouvelle = s.invitations[-1]
    personne = Acteur(id=f"usager:{pid}", nom="La personne (lien personnel)", role=Role.USAGER)
    reservation = ReservationParLaPersonne(
        invitation_id=nouvelle.id,
        reservation_id="resa-test",
        debut=datetime.combine(plus(aujourd_hui, 12), datetime.min.time(), UTC)
        + timedelta(hours=13),
        modalite=ModeRdv.TELEPHONE,
    )
    s = await parcours.commander(pid, "reserver_rdv", reservation, personne)
    s = await attendre(parcours, pid, lambda st: "invitation_expiree" not in codes(st))
    assert "invitation_expiree" not in codes(s)
    fins = [e.details.get("regle") for e in s.timeline if e.code == "alerte_close"]
    assert "invitation_expiree" in fins
    assert [r.source for r in s.rdvs] == ["reservation"]


async def test_seule_la_personne_prend_son_rendez_vous(
    parcours: ParcoursClient, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui, telephone="06 98 76 54 42"), CLAIRE)
    s = await parcours.commander(s.parcours_id, "inviter_rdv", INVITATION, CLAIRE)
    reservation = ReservationParLaPersonne(
        invitation_id=s.invitations[0].id,
        reservation_id="resa-test",
        debut=datetime.now(UTC) + timedelta(days=2),
        modalite=ModeRdv.TELEPHONE,
    )
    autre = Acteur(id="usager:quelqu-un-d-autre", nom="Autre", role=Role.USAGER)
    for qui in (CLAIRE, autre):
        with pytest.raises(CommandeImpossible, match="réservé à la personne elle-même"):
            await parcours.commander(s.parcours_id, "reserver_rdv", reservation, qui)
