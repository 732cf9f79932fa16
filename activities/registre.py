"""All activities, wired to their clients: what a worker registers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from temporalio.client import Client

from activities import regles
from activities.audit import AuditActivities
from activities.caf import Caf
from activities.courrier import Courrier
from activities.data_inclusion import ClientDataInclusion, DataInclusionActivities
from activities.france_travail import FranceTravail
from activities.http import ClientPartenaire
from activities.immersion import Immersion
from activities.immersion_facilitee import ImmersionFacilitee
from activities.imports import ImportActivities
from activities.lots import LotsActivities
from activities.messagerie import Messagerie
from activities.observatoire import ObservatoireActivities
from activities.offres_france_travail import OffresFranceTravailActivities
from activities.outbox import Outbox
from activities.partenaires import LivraisonActivities
from activities.projection import ProjectionActivities
from activities.rdv_solidarites import (
    ClientRdvSolidarites,
    Envois,
    IdentifiantsAgent,
    RdvSolidaritesActivities,
)
from activities.retention import RetentionActivities
from activities.siae import Siae
from activities.sms import PasserelleSms
from activities.surveillance import SurveillanceActivities
from activities.vigie import VigieActivities
from core.partners import PartnerConfig, load_partners
from core.settings import Settings
from core.smtp import ServeurSmtp
from employeurs.france_travail import config_depuis
from pieces.service import Coffre
from services.audit import cles_audit
from services.parcours_client import ParcoursClient
from store.db import SessionFactory


def activites(
    settings: Settings,
    sessions: SessionFactory,
    http: httpx.AsyncClient,
    temporal: Client,
    task_queue: str,
) -> list[Callable[..., Any]]:
    partners = load_partners(settings.partners_file, settings.effective_partner_base_url)

    def client(partner_id: str) -> ClientPartenaire:
        return ClientPartenaire(partners[partner_id], http)

    outbox = Outbox(sessions)
    coffre = Coffre.depuis(settings)
    projection = ProjectionActivities(
        sessions, sqlite=settings.effective_database_url.startswith("sqlite")
    )
    messagerie = Messagerie(
        sessions,
        outbox,
        serveur=ServeurSmtp.depuis(settings),
        expediteur=settings.mail_from,
    )
    vigie = VigieActivities(sessions, temporal, messagerie, outbox, settings.effective_public_url)
    livraison = LivraisonActivities(sessions, temporal, task_queue)
    caf = Caf(client("caf"))
    imports = ImportActivities(sessions, ParcoursClient(temporal, task_queue), caf, messagerie)
    lots = LotsActivities(settings, sessions)
    courrier = Courrier(sessions, outbox, coffre)
    # --- connecteur data·inclusion ---
    data_inclusion = DataInclusionActivities(
        sessions, ClientDataInclusion(partners["data-inclusion"], http)
    )
    # --- connecteur Immersion Facilitée --- (its API key goes bare in « authorization »)
    immersion = ImmersionFacilitee(
        ClientPartenaire(partners["immersion"], http, schema_auth=""),
        partners["immersion"],
        settings.effective_public_url,
        sessions,
    )
    # --- rdv dans l'outil externe --- its invitations leave by the same SMS gateway and mail
    rdv_solidarites = _rdv_solidarites(
        partners["rdv"], http, Envois(client("sms"), messagerie, outbox)
    )
    # --- offres FT et import d'entreprises ---
    offres_ft = OffresFranceTravailActivities(sessions, config_depuis(settings), http)
    return [
        offres_ft.importer,
        data_inclusion.synchroniser_page,
        data_inclusion.archiver_absents,
        imports.a_traiter,
        imports.traiter_lot,
        imports.terminer,
        vigie.reverifier_parcours,
        SurveillanceActivities(sessions, temporal).parcours_bloques,
        RetentionActivities(sessions, temporal, settings.anonymisation_jours, coffre).anonymiser,
        ObservatoireActivities(sessions).prendre_instantane,
        vigie.envoyer_digests,
        livraison.relivrer,
        livraison.repartir,
        regles.charger_vigie,
        regles.proposer_orientation,
        projection.projeter_parcours,
        FranceTravail(client("france-travail")).notifier_orientation,
        caf.lire_droits_rsa,
        Immersion(client("immersion")).soumettre_convention,  # histories before ticket 20
        immersion.souscrire,
        immersion.lire_conventions,
        Siae(client("siae")).envoyer_demande,
        PasserelleSms(client("sms"), outbox).envoyer,
        messagerie.envoyer,
        courrier.produire,
        courrier.produire_annulation,
        rdv_solidarites.inscrire_usager,
        rdv_solidarites.envoyer_invitation,
        rdv_solidarites.transmettre_issue,
        AuditActivities(sessions, temporal, task_queue, cles_audit(settings.audit_key)).ancrer,
        # --- connecteur fichiers FT/CAF ---
        lots.lister,
        lots.importer,
    ]


def _rdv_solidarites(
    config: PartnerConfig, http: httpx.AsyncClient, envois: Envois
) -> RdvSolidaritesActivities:
    client = ClientRdvSolidarites(config, IdentifiantsAgent.depuis(config), http)
    return RdvSolidaritesActivities(client, envois)
