"""Vigie des ruptures, one test per rule on Temporal's time-skipping server: each fires on its
day and not the day before, and clears by itself when its cause is resolved."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from temporalio.testing import WorkflowEnvironment

from core.clock import PARIS
from rules.calendrier import ajouter_jours_ouvres, jours_feries_france
from schemas.common import Organisme
from schemas.contrat import (
    Objectif,
    RedactionContrat,
    RevueContrat,
    Signataire,
    SignatureContrat,
    TypeContrat,
    add_months,
)
from schemas.emploi import DeclarationEmbauche, DeroulementSuivi, PointSuivi, TypeContratTravail
from schemas.entreprise import Entreprise
from schemas.evenements import EvenementPartenaire
from schemas.incident import Partenaire
from schemas.orientation import DecisionOrientationResolue, TypeOrientation
from schemas.parcours import Statut
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
from schemas.rdv import Contact, ModeContact, ModeRdv, PlanificationRdv, ResultatRdv, StatutRdv
from schemas.referent import AccuseTransfert, TransfertResolu
from schemas.sortie import Reprise, Suspension
from services.parcours_client import ParcoursClient
from tests.factories import CLAIRE, COORDINATRICE, KARIM, SOPHIE, accueil_rsa, diagnostic, plus
from tests.workflows.temps import aller_au, attendre, codes

ENTREPRISE = Entreprise(
    siret="73282932000074",
    raison_sociale="Logistique des Aravis",
    etablissement="Entrepôt de Seynod",
    commune="Seynod",
)


async def test_diagnostic_en_retard_alerte_puis_rupture_puis_leve(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    pid = s.parcours_id
    await aller_au(temporal_env, plus(aujourd_hui, 11))
    assert "echeance_proche" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, plus(aujourd_hui, 12))
    s = await attendre(parcours, pid, lambda st: "echeance_proche" in codes(st))
    assert s.statut == Statut.EN_ALERTE
    await aller_au(temporal_env, plus(aujourd_hui, 15))
    assert "echeance_depassee" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, plus(aujourd_hui, 16))
    s = await attendre(parcours, pid, lambda st: "echeance_depassee" in codes(st))
    assert s.statut == Statut.EN_RUPTURE
    assert "echeance_proche" not in codes(s)
    assert s.alertes[0].echeance == plus(aujourd_hui, 15)

    s = await parcours.commander(
        pid, "enregistrer_diagnostic", diagnostic(plus(aujourd_hui, 16)), CLAIRE
    )
    assert "echeance_depassee" not in codes(s)
    timeline = [e.code for e in s.timeline]
    assert "alerte_levee" in timeline
    assert "alerte_close" in timeline  # the history of the alert stays in the timeline
    fins = [e.libelle for e in s.timeline if e.code == "alerte_close"]
    assert any(f.startswith("Fin de la rupture : ") for f in fins), fins  # not « de l'rupture »


async def test_silence_45_puis_90_jours_leve_par_un_contact(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    pid = s.parcours_id
    await parcours.commander(pid, "enregistrer_diagnostic", diagnostic(aujourd_hui), CLAIRE)
    await aller_au(temporal_env, plus(aujourd_hui, 44))
    assert "silence_alerte" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, plus(aujourd_hui, 45))
    assert "silence_alerte" in codes(
        await attendre(parcours, pid, lambda st: "silence_alerte" in codes(st))
    )
    await aller_au(temporal_env, plus(aujourd_hui, 89))
    assert "silence_rupture" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, plus(aujourd_hui, 90))
    s = await attendre(parcours, pid, lambda st: "silence_rupture" in codes(st))
    assert "silence_alerte" not in codes(s)
    contact = Contact(
        le=plus(aujourd_hui, 90), mode=ModeContact.TELEPHONE, objet="Reprise de contact"
    )
    s = await parcours.commander(pid, "enregistrer_contact", contact, CLAIRE)
    assert not codes(s) & {"silence_alerte", "silence_rupture"}


def _rdv(jour: date) -> PlanificationRdv:
    return PlanificationRdv(
        date_heure=datetime.combine(jour, time(10), tzinfo=PARIS),
        mode=ModeRdv.TELEPHONE,
        professionnel="Claire Martin",
        objet="Point",
    )


async def test_deux_rendez_vous_non_honores_de_suite(
    parcours: ParcoursClient, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(plus(aujourd_hui, -20)), CLAIRE)
    pid = s.parcours_id
    for jour in (plus(aujourd_hui, -10), plus(aujourd_hui, -3)):
        s = await parcours.commander(pid, "planifier_rdv", _rdv(jour), CLAIRE)
        s = await parcours.commander(
            pid,
            "renseigner_rdv",
            ResultatRdv(rdv_id=s.rdvs[-1].id, statut=StatutRdv.NON_HONORE),
            CLAIRE,
        )
        if jour == plus(aujourd_hui, -10):
            assert "rdv_non_honores" not in codes(s)  # one missed appointment is not a rupture
    assert "rdv_non_honores" in codes(s)
    s = await parcours.commander(pid, "planifier_rdv", _rdv(aujourd_hui), CLAIRE)
    s = await parcours.commander(
        pid, "renseigner_rdv", ResultatRdv(rdv_id=s.rdvs[-1].id, statut=StatutRdv.HONORE), CLAIRE
    )
    assert "rdv_non_honores" not in codes(s)


async def test_rendez_vous_passe_a_renseigner(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    pid = s.parcours_id
    s = await parcours.commander(pid, "planifier_rdv", _rdv(plus(aujourd_hui, 3)), CLAIRE)
    rdv_id = s.rdvs[-1].id
    await aller_au(temporal_env, plus(aujourd_hui, 3), heure=18)
    assert "rdv_a_renseigner" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, plus(aujourd_hui, 4))
    s = await attendre(parcours, pid, lambda st: "rdv_a_renseigner" in codes(st))
    assert s.alertes[0].cle == rdv_id or rdv_id in {a.cle for a in s.alertes}
    s = await parcours.commander(
        pid, "renseigner_rdv", ResultatRdv(rdv_id=rdv_id, statut=StatutRdv.HONORE), CLAIRE
    )
    assert "rdv_a_renseigner" not in codes(s)


async def test_signalement_partenaire_sans_action_en_15_jours(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui, caf="1234567"), CLAIRE)
    pid = s.parcours_id
    moment = await temporal_env.get_current_time()
    await parcours.signaler_evenement(
        pid,
        EvenementPartenaire(
            id="caf-1",
            partenaire=Partenaire.CAF,
            type="fr.caf.rsa.droits-suspendus",
            sujet="1234567",
            survenu_le=moment,
            recu_le=moment,
            data={"date": aujourd_hui.isoformat(), "motif": "Déclaration trimestrielle absente"},
        ),
    )
    s = await attendre(parcours, pid, lambda st: "signalement_a_traiter" in codes(st))
    assert s.statut == Statut.EN_ALERTE
    await aller_au(temporal_env, plus(aujourd_hui, 15))
    assert "signalement_sans_suite" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, plus(aujourd_hui, 16))
    s = await attendre(parcours, pid, lambda st: "signalement_sans_suite" in codes(st))
    assert s.statut == Statut.EN_RUPTURE
    contact = Contact(
        le=plus(aujourd_hui, 16), mode=ModeContact.ENTRETIEN, objet="Point sur les droits RSA"
    )
    s = await parcours.commander(pid, "enregistrer_contact", contact, CLAIRE)
    assert not codes(s) & {"signalement_a_traiter", "signalement_sans_suite"}


async def _oriente_et_contrat(parcours: ParcoursClient, jour: date, mois: int = 3) -> str:
    s = await parcours.ouvrir(accueil_rsa(jour), CLAIRE)
    pid = s.parcours_id
    await parcours.commander(pid, "enregistrer_diagnostic", diagnostic(jour), CLAIRE)
    await parcours.commander(
        pid,
        "decider_orientation",
        DecisionOrientationResolue(
            decidee_le=jour,
            type=TypeOrientation.PROFESSIONNELLE,
            organisme=Organisme.FRANCE_TRAVAIL,
            referent_id=KARIM.id,
            referent=KARIM,
        ),
        CLAIRE,
    )
    await parcours.commander(
        pid,
        "rediger_contrat",
        RedactionContrat(
            type=TypeContrat.PPAE,
            date_debut=jour,
            date_fin=add_months(jour, mois),
            objectifs=[Objectif(libelle="Retrouver un emploi")],
        ),
        KARIM,
    )
    for signataire in Signataire:
        await parcours.commander(
            pid, "signer_contrat", SignatureContrat(signataire=signataire, signe_le=jour), KARIM
        )
    return pid


async def test_revue_du_contrat_a_j_moins_30(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    pid = await _oriente_et_contrat(parcours, aujourd_hui)
    s = await attendre(
        parcours, pid, lambda st: st.contrat is not None and st.contrat.etat.value == "actif"
    )
    assert s.contrat is not None
    revue = s.contrat.date_fin - timedelta(days=30)
    await aller_au(temporal_env, revue - timedelta(days=1))
    assert "revue_contrat" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, revue)
    s = await attendre(parcours, pid, lambda st: "revue_contrat" in codes(st))
    s = await parcours.commander(
        pid,
        "reviser_contrat",
        RevueContrat(realisee_le=revue, bilan="Objectifs en bonne voie"),
        KARIM,
    )
    assert "revue_contrat" not in codes(s)


async def test_contrat_termine_sans_renouvellement_ni_sortie(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    pid = await _oriente_et_contrat(parcours, aujourd_hui)
    s = await parcours.etat(pid)
    assert s.contrat is not None
    fin = s.contrat.date_fin
    await aller_au(temporal_env, fin)
    assert "contrat_termine_sans_suite" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, fin + timedelta(days=1))
    s = await attendre(parcours, pid, lambda st: "contrat_termine_sans_suite" in codes(st))
    assert s.statut == Statut.EN_RUPTURE
    jour = fin + timedelta(days=1)
    s = await parcours.commander(
        pid,
        "rediger_contrat",
        RedactionContrat(
            type=TypeContrat.PPAE,
            date_debut=jour,
            date_fin=add_months(jour, 6),
            objectifs=[Objectif(libelle="Consolider le projet")],
        ),
        KARIM,
    )
    assert "contrat_termine_sans_suite" not in codes(s)


async def test_immersion_terminee_sans_bilan(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    pid = await _oriente_et_contrat(parcours, aujourd_hui, mois=6)
    debut = plus(aujourd_hui, 3)
    convention = ConventionPmsmp(
        entreprise=ENTREPRISE,
        tuteur=Tuteur(
            nom="Perret", prenom="Alain", fonction="Chef d'équipe", email="tuteur@example.org"
        ),
        date_debut=debut,
        date_fin=plus(debut, 9),
        heures_hebdomadaires=35,
        horaires="8 h – 16 h",
        objectif=ObjectifPmsmp.DECOUVRIR,
        metier="Préparateur de commandes",
    )
    await parcours.commander(pid, "prescrire_pmsmp", convention, KARIM)
    for signataire in SignatairePmsmp:
        await parcours.commander(
            pid, "signer_pmsmp", SignaturePmsmp(signataire=signataire, signe_le=aujourd_hui), KARIM
        )
    await parcours.commander(pid, "valider_pmsmp", ValidationPmsmp(validee_le=aujourd_hui), KARIM)
    fin = convention.date_fin
    await aller_au(temporal_env, fin)
    s = await attendre(parcours, pid, lambda st: st.phase.value == "pmsmp")
    assert "bilan_pmsmp_attendu" not in codes(s)
    await aller_au(temporal_env, fin + timedelta(days=1))
    await attendre(parcours, pid, lambda st: "bilan_pmsmp_attendu" in codes(st))
    await aller_au(temporal_env, fin + timedelta(days=7))
    assert "pmsmp_sans_bilan" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, fin + timedelta(days=8))
    s = await attendre(parcours, pid, lambda st: "pmsmp_sans_bilan" in codes(st))
    assert s.statut == Statut.EN_RUPTURE
    relances = [e for e in s.timeline if e.code == "pmsmp_relance_tuteur"]
    assert [e.le for e in relances] == [fin + timedelta(days=3)]  # J+3 (J+10 is still to come)
    bilan = BilanPmsmp(
        redige_le=fin + timedelta(days=8), resultat=ResultatPmsmp.REALISEE, embauche_proposee=True
    )
    s = await parcours.commander(pid, "rediger_bilan_pmsmp", bilan, KARIM)
    s = await attendre(parcours, pid, lambda st: st.phase.value == "contrat")
    assert not codes(s) & {"bilan_pmsmp_attendu", "pmsmp_sans_bilan"}


async def test_point_de_suivi_dans_l_emploi_a_j_plus_30(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    pid = await _oriente_et_contrat(parcours, aujourd_hui, mois=6)
    embauche = DeclarationEmbauche(
        type_contrat=TypeContratTravail.CDI,
        employeur=ENTREPRISE,
        metier="Préparateur de commandes",
        date_debut=aujourd_hui,
    )
    await parcours.commander(pid, "declarer_embauche", embauche, KARIM)
    await aller_au(temporal_env, plus(aujourd_hui, 29))
    assert "point_suivi_a_faire" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, plus(aujourd_hui, 30))
    await attendre(parcours, pid, lambda st: "point_suivi_a_faire" in codes(st))
    await aller_au(temporal_env, plus(aujourd_hui, 45))
    assert "point_suivi_en_retard" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, plus(aujourd_hui, 46))
    await attendre(parcours, pid, lambda st: "point_suivi_en_retard" in codes(st))
    point = PointSuivi(
        jalon_jours=30, realise_le=plus(aujourd_hui, 46), deroulement=DeroulementSuivi.BIEN
    )
    s = await parcours.commander(pid, "enregistrer_point_suivi", point, KARIM)
    s = await attendre(
        parcours, pid, lambda st: not codes(st) & {"point_suivi_a_faire", "point_suivi_en_retard"}
    )
    assert not codes(s) & {"point_suivi_a_faire", "point_suivi_en_retard"}


async def test_parcours_sans_referent_jusqu_a_sa_designation(
    parcours: ParcoursClient, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), COORDINATRICE)  # accueil by coordination
    assert s.referent is None
    assert "sans_referent" in codes(s)
    assert s.statut == Statut.EN_RUPTURE
    s = await parcours.commander(
        s.parcours_id,
        "transferer_referent",
        TransfertResolu(
            nouveau_referent_id=CLAIRE.id,
            nouveau_referent=CLAIRE,
            motif="Affectation",
            demande_le=aujourd_hui,
        ),
        COORDINATRICE,
    )
    assert "sans_referent" not in codes(s)


def _prochain_ferie_en_semaine(apres: date) -> date:
    feries = [
        d
        for d in jours_feries_france(range(apres.year, apres.year + 2))
        if d > apres + timedelta(days=4)
    ]
    return next(d for d in feries if d.weekday() < 5)


async def test_transfert_non_accuse_en_5_jours_ouvres_hors_feries(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    ferie = _prochain_ferie_en_semaine(aujourd_hui)
    demande = ferie - timedelta(days=1)
    while demande.weekday() >= 5:
        demande -= timedelta(days=1)
    await aller_au(temporal_env, demande, heure=9)
    s = await parcours.ouvrir(accueil_rsa(demande), CLAIRE)
    pid = s.parcours_id
    feries = jours_feries_france(range(demande.year, demande.year + 2))
    echeance = ajouter_jours_ouvres(demande, 5, feries)
    assert echeance != ajouter_jours_ouvres(demande, 5, [])  # the holiday moves the deadline
    s = await parcours.commander(
        pid,
        "transferer_referent",
        TransfertResolu(
            nouveau_referent_id=SOPHIE.id,
            nouveau_referent=SOPHIE,
            motif="Congé",
            demande_le=demande,
        ),
        CLAIRE,
    )
    await aller_au(temporal_env, echeance)
    assert "transfert_non_accuse" not in codes(await parcours.etat(pid))
    await aller_au(temporal_env, echeance + timedelta(days=1))
    s = await attendre(parcours, pid, lambda st: "transfert_non_accuse" in codes(st))
    assert s.statut == Statut.EN_RUPTURE
    s = await parcours.commander(
        pid, "accuser_transfert", AccuseTransfert(accuse_le=echeance + timedelta(days=1)), SOPHIE
    )
    assert "transfert_non_accuse" not in codes(s)


async def test_suspension_dont_la_reprise_prevue_est_depassee(
    parcours: ParcoursClient, temporal_env: WorkflowEnvironment, aujourd_hui: date
) -> None:
    s = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    pid = s.parcours_id
    s = await parcours.commander(
        pid,
        "suspendre_parcours",
        Suspension(le=aujourd_hui, motif="Hospitalisation", jusqu_au=plus(aujourd_hui, 20)),
        CLAIRE,
    )
    assert s.statut == Statut.SUSPENDU
    await aller_au(temporal_env, plus(aujourd_hui, 20))
    s = await parcours.etat(pid)
    assert codes(s) == set()  # suspended: the accueil deadline (15 days) does not fire
    await aller_au(temporal_env, plus(aujourd_hui, 21))
    s = await attendre(parcours, pid, lambda st: "reprise_depassee" in codes(st))
    s = await parcours.commander(
        pid, "reprendre_parcours", Reprise(le=plus(aujourd_hui, 21)), CLAIRE
    )
    assert "reprise_depassee" not in codes(s)
    assert s.statut == Statut.EN_RUPTURE  # back to normal watch: the diagnostic is now late
