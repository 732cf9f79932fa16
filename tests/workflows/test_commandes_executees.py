"""The commands that only the rights matrix gave (to a closed parcours, refused before any
handler ran), each given once in a phase where it is allowed, with what the référent then sees
(found by tests/workflows/test_coherence_commandes.py, issue 21)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from temporalio.testing import WorkflowEnvironment

from schemas.action import MiseAJourAction, PrescriptionAction, StatutAction
from schemas.common import Organisme
from schemas.contrat import (
    DecisionManquement,
    EtapeManquement,
    EtatContrat,
    Manquement,
    Renouvellement,
    TypeContrat,
    add_months,
)
from schemas.diagnostic import Diagnostic, Frein
from schemas.emploi import (
    DeclarationEmbauche,
    EtatEmploi,
    FinEmploi,
    MotifFinEmploi,
    TypeContratTravail,
)
from schemas.orientation import DemandeReorientation, TypeOrientation
from schemas.parcours import ParcoursState, Phase
from schemas.pmsmp import AnnulationPmsmp, EtatPmsmp
from schemas.rdv import ReunionMultipartenaire
from services.parcours_client import ParcoursClient
from tests.factories import CLAIRE, accueil_rsa, diagnostic, plus
from tests.workflows.temps import attendre
from tests.workflows.test_scenarios import ENTREPRISE, _contrat, _convention, _decider


def _sociale(jour: date) -> Diagnostic:
    """A diagnostic the rules answer with the social orientation the tests decide."""
    return diagnostic(jour, bloquants=(Frein.LOGEMENT, Frein.MOBILITE))


async def _en_contrat(pc: ParcoursClient, jour: date) -> str:
    """A parcours of Claire's, its contract signed: in phase « contrat »."""
    s = await pc.ouvrir(accueil_rsa(jour), CLAIRE)
    pid = s.parcours_id
    await pc.commander(pid, "enregistrer_diagnostic", _sociale(jour), CLAIRE)
    await _decider(
        pc, pid, jour, TypeOrientation.SOCIALE, Organisme.CONSEIL_DEPARTEMENTAL, CLAIRE, CLAIRE
    )
    await _contrat(pc, pid, jour, TypeContrat.CER, CLAIRE)
    s = await attendre(pc, pid, lambda st: st.phase == Phase.CONTRAT)
    assert s.phase == Phase.CONTRAT
    return pid


def _contrat_de(s: ParcoursState) -> EtatContrat | None:
    return s.contrat.etat if s.contrat is not None else None


async def test_demander_une_reorientation_ramene_au_diagnostic_et_clot_le_contrat(
    parcours: ParcoursClient, aujourd_hui: date
) -> None:
    pid = await _en_contrat(parcours, aujourd_hui)
    demande = DemandeReorientation(demandee_le=aujourd_hui, motif="Projet professionnel changé")
    s = await parcours.commander(pid, "demander_reorientation", demande, CLAIRE)
    assert s.phase == Phase.DIAGNOSTIC
    assert s.proposition_orientation is not None  # the rules propose again
    s = await attendre(parcours, pid, lambda st: _contrat_de(st) not in (EtatContrat.ACTIF, None))
    assert _contrat_de(s) != EtatContrat.ACTIF  # closed for « réorientation »


async def test_renouveler_puis_engager_la_procedure_de_manquement(
    parcours: ParcoursClient, aujourd_hui: date
) -> None:
    pid = await _en_contrat(parcours, aujourd_hui)
    s = await parcours.etat(pid)
    assert s.contrat is not None
    fin = add_months(s.contrat.date_fin, 6)
    await parcours.commander(
        pid,
        "renouveler_contrat",
        Renouvellement(decide_le=aujourd_hui, nouvelle_date_fin=fin),
        CLAIRE,
    )
    s = await attendre(
        parcours, pid, lambda st: st.contrat is not None and st.contrat.date_fin == fin
    )
    assert s.contrat is not None
    assert s.contrat.renouvellements == 1

    etapes = [
        Manquement(etape=EtapeManquement.AVERTISSEMENT, le=aujourd_hui, motif="Absent deux fois"),
        Manquement(
            etape=EtapeManquement.EXAMEN_EP,
            le=aujourd_hui,
            motif="Examen demandé",
            date_examen=plus(aujourd_hui, 10),
        ),
        Manquement(
            etape=EtapeManquement.DECISION,
            le=aujourd_hui,
            motif="Décision de l'équipe",
            decision=DecisionManquement.SUSPENSION,
        ),
    ]
    for etape in etapes:
        await parcours.commander(pid, "signaler_manquement", etape, CLAIRE)
    s = await attendre(parcours, pid, lambda st: _contrat_de(st) == EtatContrat.SUSPENDU)
    assert _contrat_de(s) == EtatContrat.SUSPENDU
    assert s.contrat is not None
    assert [m.etape for m in s.contrat.manquements] == [e.etape for e in etapes]


async def test_mettre_a_jour_une_action_prescrite(
    parcours: ParcoursClient, aujourd_hui: date
) -> None:
    pid = await _en_contrat(parcours, aujourd_hui)
    prescription = PrescriptionAction(
        service_id="permis-solidaire",
        libelle="Auto-école solidaire",
        structure="Mobil'Emploi",
        thematique="mobilite",
        frein=Frein.MOBILITE,
        debut_prevu=aujourd_hui,
    )
    s = await parcours.commander(pid, "prescrire_action", prescription, CLAIRE)
    action_id = s.actions[-1].id
    maj = MiseAJourAction(action_id=action_id, statut=StatutAction.EN_COURS, le=aujourd_hui)
    s = await parcours.commander(pid, "mettre_a_jour_action", maj, CLAIRE)
    assert s.actions[-1].statut == StatutAction.EN_COURS
    assert s.timeline[-1].code == "action_mise_a_jour"


async def test_annuler_une_immersion_avant_son_debut(
    parcours: ParcoursClient, aujourd_hui: date
) -> None:
    pid = await _en_contrat(parcours, aujourd_hui)
    await parcours.commander(pid, "prescrire_pmsmp", _convention(plus(aujourd_hui, 10), 10), CLAIRE)
    annulation = AnnulationPmsmp(annulee_le=aujourd_hui, motif="L'entreprise s'est désistée")
    await parcours.commander(pid, "annuler_pmsmp", annulation, CLAIRE)
    s = await attendre(parcours, pid, lambda st: st.pmsmp[-1].etat == EtatPmsmp.ANNULEE)
    assert s.pmsmp[-1].etat == EtatPmsmp.ANNULEE
    assert s.phase == Phase.CONTRAT


async def test_declarer_la_fin_de_l_emploi_ramene_au_contrat(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    pid = await _en_contrat(parcours, aujourd_hui)
    embauche = DeclarationEmbauche(
        type_contrat=TypeContratTravail.CDI,
        employeur=ENTREPRISE,
        metier="Agent de service hospitalier",
        date_debut=aujourd_hui,
    )
    s = await parcours.commander(pid, "declarer_embauche", embauche, CLAIRE)
    assert s.phase == Phase.EMPLOI
    fin = FinEmploi(le=aujourd_hui, motif=MotifFinEmploi.RUPTURE_ESSAI)
    await parcours.commander(pid, "declarer_fin_emploi", fin, CLAIRE)
    s = await attendre(parcours, pid, lambda st: st.phase == Phase.CONTRAT)
    assert s.phase == Phase.CONTRAT  # back to accompaniment, within the running contract
    assert s.emploi is not None
    assert s.emploi.etat == EtatEmploi.TERMINE


async def test_planifier_une_reunion_multipartenaire(
    parcours: ParcoursClient, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    quand = datetime.combine(plus(aujourd_hui, 7), datetime.min.time(), UTC) + timedelta(hours=9)
    reunion = ReunionMultipartenaire(
        date_heure=quand, organismes=["CAF", "France Travail"], objet="Point sur le logement"
    )
    s = await parcours.commander(s.parcours_id, "planifier_reunion", reunion, CLAIRE)
    assert s.timeline[-1].code == "reunion_planifiee"
    assert "CAF, France Travail" in s.timeline[-1].libelle
