"""All workflow classes a worker runs."""

from __future__ import annotations

from workflows.ancrage_audit import AncrageAuditWorkflow
from workflows.contrat import ContratWorkflow
from workflows.data_inclusion import SynchronisationDataInclusionWorkflow
from workflows.emploi import SuiviEmploiWorkflow
from workflows.immersion_facilitee import SuiviImmersionFacilitee
from workflows.import_personnes import ImportPersonnesWorkflow
from workflows.lots import ImportFichiersPartenairesWorkflow
from workflows.observatoire import ObservatoireQuotidienWorkflow
from workflows.offres_france_travail import ImportOffresFranceTravailWorkflow
from workflows.parcours import ParcoursWorkflow
from workflows.pmsmp import PmsmpWorkflow
from workflows.relivraison import RelivraisonWorkflow
from workflows.repartiteur import RepartiteurEvenementsWorkflow
from workflows.retention import RetentionWorkflow
from workflows.surveillance import SurveillanceTechniqueWorkflow
from workflows.vigie import VigieQuotidienneWorkflow

WORKFLOWS: list[type] = [
    ParcoursWorkflow,
    ContratWorkflow,
    PmsmpWorkflow,
    SuiviEmploiWorkflow,
    VigieQuotidienneWorkflow,
    ObservatoireQuotidienWorkflow,
    RelivraisonWorkflow,
    RepartiteurEvenementsWorkflow,
    RetentionWorkflow,
    AncrageAuditWorkflow,
    SurveillanceTechniqueWorkflow,
    ImportPersonnesWorkflow,
    ImportFichiersPartenairesWorkflow,
    SynchronisationDataInclusionWorkflow,
    SuiviImmersionFacilitee,  # --- connecteur Immersion Facilitée ---
    ImportOffresFranceTravailWorkflow,  # --- offres FT et import d'entreprises ---
]
