"""The three main paths of the field, from first meeting to the end, on the time-skipping
server: every phase, child workflow and timer involved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from core.clock import local_day
from schemas.action import PrescriptionAction
from schemas.common import Acteur, Organisme, Role, Territoire
from schemas.contrat import (
    Objectif,
    RedactionContrat,
    Signataire,
    SignatureContrat,
    TypeContrat,
    add_months,
)
from schemas.diagnostic import Frein
from schemas.emploi import (
    DeclarationEmbauche,
    DeroulementSuivi,
    EtatEmploi,
    PointSuivi,
    TypeContratTravail,
)
from schemas.entreprise import Entreprise
from schemas.orientation import DecisionOrientationResolue, TypeOrientation
from schemas.parcours import ParcoursState, Phase, Statut
from schemas.pmsmp import (
    BilanPmsmp,
    ConventionPmsmp,
    ObjectifPmsmp,
    ResultatPmsmp,
    SignatairePmsmp,
    SignaturePmsmp,
    Tuteur,
    ValidationPmsmp,
)
from schemas.rdv import Contact, ModeContact
from schemas.referent import AccuseTransfert, TransfertResolu
from schemas.sortie import MotifSortie, Sortie
from services.parcours_client import CommandeImpossible, ParcoursClient
from tests.factories import CLAIRE, LEA, MARC, accueil_rsa, diagnostic, plus
from tests.workflows.temps import aller_au, attendre

ENTREPRISE = Entreprise(
    siret="73282932000074",
    raison_sociale="EHPAD Les Tilleuls",
    etablissement="EHPAD Les Tilleuls, Seynod",
    commune="Seynod",
)
NADIA_ANNECY = Acteur(
    id="ref-nadia-perrin",
    nom="Nadia Perrin",
    role=Role.REFERENT,
    organisme=Organisme.CAP_EMPLOI,
    territoire=Territoire.BASSIN_ANNECIEN,
)


async def _decider(
    pc: ParcoursClient,
    pid: str,
    jour: date,
    type_: TypeOrientation,
    organisme: Organisme,
    referent: Acteur,
    auteur: Acteur,
) -> None:
    await pc.commander(
        pid,
        "decider_orientation",
        DecisionOrientationResolue(
            decidee_le=jour,
            type=type_,
            organisme=organisme,
            referent_id=referent.id,
            referent=referent,
        ),
        auteur,
    )


async def _contrat(
    pc: ParcoursClient, pid: str, jour: date, type_: TypeContrat, referent: Acteur
) -> None:
    await pc.commander(
        pid,
        "rediger_contrat",
        RedactionContrat(
            type=type_,
            date_debut=jour,
            date_fin=add_months(jour, 12),
            objectifs=[Objectif(libelle="Lever le frein mobilité", frein=Frein.MOBILITE)],
        ),
        referent,
    )
    for signataire in Signataire:
        await pc.commander(
            pid, "signer_contrat", SignatureContrat(signataire=signataire, signe_le=jour), referent
        )


def _convention(
    debut: date,
    jours: int,
    objectif: ObjectifPmsmp = ObjectifPmsmp.DECOUVRIR,
    renouvellement_de: str | None = None,
) -> ConventionPmsmp:
    return ConventionPmsmp(
        entreprise=ENTREPRISE,
        tuteur=Tuteur(
            nom="Favre", prenom="Lucie", fonction="Cadre de santé", email="lucie.favre@example.org"
        ),
        date_debut=debut,
        date_fin=debut + timedelta(days=jours - 1),
        heures_hebdomadaires=35,
        horaires="7 h – 14 h",
        objectif=objectif,
        metier="Agent de service hospitalier",
        code_rome="J1301",
        renouvellement_de=renouvellement_de,
    )


async def _pmsmp(
    pc: ParcoursClient,
    env: WorkflowEnvironment,
    pid: str,
    convention: ConventionPmsmp,
    referent: Acteur,
    embauche: bool = False,
) -> str:
    today = local_day(await env.get_current_time())  # signed before the start, today
    s = await pc.commander(pid, "prescrire_pmsmp", convention, referent)
    pmsmp_id = s.pmsmp[-1].id
    for signataire in SignatairePmsmp:
        await pc.commander(
            pid, "signer_pmsmp", SignaturePmsmp(signataire=signataire, signe_le=today), referent
        )
    await pc.commander(pid, "valider_pmsmp", ValidationPmsmp(validee_le=today), referent)
    await aller_au(env, convention.date_debut)
    s = await attendre(pc, pid, lambda st: st.phase == Phase.PMSMP)
    assert s.phase == Phase.PMSMP
    await aller_au(env, convention.date_fin + timedelta(days=2))
    await pc.commander(
        pid,
        "rediger_bilan_pmsmp",
        BilanPmsmp(
            redige_le=convention.date_fin + timedelta(days=2),
            resultat=ResultatPmsmp.REALISEE,
            embauche_proposee=embauche,
        ),
        referent,
    )
    s = await attendre(pc, pid, lambda st: st.phase == Phase.CONTRAT)
    assert s.phase == Phase.CONTRAT
    return pmsmp_id


async def test_a_rsa_orientation_sociale_cer_pmsmp_cdi_suivi_sortie_positive(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui, caf="1234567"), CLAIRE)
    pid = s.parcours_id
    s = await parcours.commander(
        pid,
        "enregistrer_diagnostic",
        diagnostic(aujourd_hui, bloquants=(Frein.LOGEMENT, Frein.MOBILITE)),
        CLAIRE,
    )
    assert s.proposition_orientation is not None
    assert s.proposition_orientation.type == TypeOrientation.SOCIALE
    await _decider(
        parcours,
        pid,
        aujourd_hui,
        TypeOrientation.SOCIALE,
        Organisme.CONSEIL_DEPARTEMENTAL,
        CLAIRE,
        CLAIRE,
    )
    await _contrat(parcours, pid, aujourd_hui, TypeContrat.CER, CLAIRE)
    await parcours.commander(
        pid,
        "prescrire_action",
        PrescriptionAction(
            service_id="permis-solidaire",
            libelle="Auto-école solidaire",
            structure="Mobil'Emploi",
            thematique="mobilite",
            frein=Frein.MOBILITE,
            debut_prevu=plus(aujourd_hui, 7),
        ),
        CLAIRE,
    )
    await _pmsmp(
        parcours, temporal_env, pid, _convention(plus(aujourd_hui, 10), 14), CLAIRE, embauche=True
    )

    embauche_le = plus(aujourd_hui, 30)
    await aller_au(temporal_env, embauche_le)
    s = await parcours.commander(
        pid,
        "declarer_embauche",
        DeclarationEmbauche(
            type_contrat=TypeContratTravail.CDI,
            employeur=ENTREPRISE,
            metier="Agent de service hospitalier",
            date_debut=embauche_le,
        ),
        CLAIRE,
    )
    assert s.phase == Phase.EMPLOI
    for jalon in (30, 90, 180):
        await aller_au(temporal_env, plus(embauche_le, jalon))
        await parcours.commander(
            pid,
            "enregistrer_point_suivi",
            PointSuivi(
                jalon_jours=jalon,
                realise_le=plus(embauche_le, jalon),
                deroulement=DeroulementSuivi.BIEN,
            ),
            CLAIRE,
        )
    s = await attendre(
        parcours,
        pid,
        lambda st: st.emploi is not None and st.emploi.etat == EtatEmploi.SUIVI_TERMINE,
    )
    assert s.emploi is not None
    assert s.emploi.durable
    s = await parcours.commander(
        pid,
        "prononcer_sortie",
        Sortie(le=plus(embauche_le, 180), motif=MotifSortie.EMPLOI_DURABLE),
        CLAIRE,
    )
    assert s.statut == Statut.CLOS
    assert s.sortie is not None
    assert s.sortie.positive
    assert [p.phase for p in s.phases] == [
        Phase.ACCUEIL,
        Phase.DIAGNOSTIC,
        Phase.ORIENTATION,
        Phase.CONTRAT,
        Phase.PMSMP,
        Phase.CONTRAT,
        Phase.EMPLOI,
        Phase.SORTIE,
    ]
    resultat = await parcours.client.get_workflow_handle(
        f"parcours-{pid}", result_type=ParcoursState
    ).result()
    assert resultat.contrat is not None
    assert resultat.contrat.etat.value == "termine"  # the child was closed by the sortie


async def test_b_jeune_mission_locale_cej_pmsmp_renouvelee_une_seule_fois_cdd_puis_retour(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    naissance = date(aujourd_hui.year - 19, 1, 15)
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui, naissance=naissance), CLAIRE)
    pid = s.parcours_id
    s = await parcours.commander(
        pid, "enregistrer_diagnostic", diagnostic(aujourd_hui, rsa=False), CLAIRE
    )
    assert s.proposition_orientation is not None
    assert s.proposition_orientation.organisme == Organisme.MISSION_LOCALE
    await _decider(
        parcours,
        pid,
        aujourd_hui,
        TypeOrientation.PROFESSIONNELLE,
        Organisme.MISSION_LOCALE,
        LEA,
        CLAIRE,
    )
    await _contrat(parcours, pid, aujourd_hui, TypeContrat.CEJ, LEA)

    premiere = await _pmsmp(parcours, temporal_env, pid, _convention(plus(aujourd_hui, 5), 10), LEA)
    depart = plus(aujourd_hui, 25)
    renouvellement = await _pmsmp(
        parcours, temporal_env, pid, _convention(depart, 10, renouvellement_de=premiere), LEA
    )
    for autre in (premiere, renouvellement):
        with pytest.raises(CommandeImpossible) as refus:
            await parcours.commander(
                pid,
                "prescrire_pmsmp",
                _convention(plus(depart, 30), 10, renouvellement_de=autre),
                LEA,
            )
        assert refus.value.status == 409
        assert "renouvelée" in refus.value.message

    embauche_le = plus(depart, 20)
    await aller_au(temporal_env, embauche_le)
    await parcours.commander(
        pid,
        "declarer_embauche",
        DeclarationEmbauche(
            type_contrat=TypeContratTravail.CDD,
            employeur=ENTREPRISE,
            metier="Agent de service hospitalier",
            date_debut=embauche_le,
            date_fin=add_months(embauche_le, 3),
        ),
        LEA,
    )
    await aller_au(temporal_env, add_months(embauche_le, 3) + timedelta(days=1))
    s = await attendre(parcours, pid, lambda st: st.phase == Phase.CONTRAT)
    assert s.phase == Phase.CONTRAT  # the CDD ended: back to accompaniment, within the CEJ
    assert s.emploi is not None
    assert s.emploi.etat == EtatEmploi.TERMINE
    assert not s.emploi.durable


async def test_c_rqth_cap_emploi_avec_transfert_de_referent(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    pid = s.parcours_id
    s = await parcours.commander(
        pid, "enregistrer_diagnostic", diagnostic(aujourd_hui, rqth=True), CLAIRE
    )
    assert s.proposition_orientation is not None
    assert s.proposition_orientation.organisme == Organisme.CAP_EMPLOI
    await _decider(
        parcours,
        pid,
        aujourd_hui,
        TypeOrientation.PROFESSIONNELLE,
        Organisme.CAP_EMPLOI,
        MARC,
        CLAIRE,
    )
    await _contrat(parcours, pid, aujourd_hui, TypeContrat.PPAE, MARC)

    milieu = plus(aujourd_hui, 60)
    await aller_au(temporal_env, milieu)
    s = await parcours.commander(
        pid,
        "transferer_referent",
        TransfertResolu(
            nouveau_referent_id=NADIA_ANNECY.id,
            nouveau_referent=NADIA_ANNECY,
            motif="Départ en formation",
            demande_le=milieu,
        ),
        MARC,
    )
    assert s.referent is not None
    assert s.referent.referent.id == NADIA_ANNECY.id
    assert any(
        a.compte_id == MARC.id and a.jusqu_au == plus(milieu, 30) for a in s.acces_temporaires
    )
    with pytest.raises(CommandeImpossible) as refus:  # the former référent may read, not act
        await parcours.commander(
            pid, "enregistrer_contact", Contact(le=milieu, mode=ModeContact.TELEPHONE), MARC
        )
    assert "réservé" in refus.value.message
    s = await parcours.commander(
        pid, "accuser_transfert", AccuseTransfert(accuse_le=milieu), NADIA_ANNECY
    )
    assert s.transfert is not None
    assert s.transfert.accuse_le == milieu
    codes = [e.code for e in s.timeline]
    assert codes.index("transfert_demande") < codes.index("transfert_accuse")
