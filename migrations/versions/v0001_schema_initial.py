"""Schéma initial du modèle de lecture.

The tables as ``SQLModel.metadata.create_all`` made them before migrations existed (a database
made that way is stamped at this revision by ``store.migrations``). Written by autogenerate,
then reviewed by hand: indexes created outside batch blocks (an index never needs SQLite's
table copy), ``downgrade`` reduced to dropping the tables in foreign-key order.

Revision ID: 0001
Revises:
Create Date: 2026-12-01 19:09:03.538238
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("compte_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("objet", sa.String(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("adresse", sa.String(), nullable=True),
        sa.Column("precedent", sa.String(), nullable=False),
        sa.Column("empreinte", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("empreinte"),
    )
    op.create_index(op.f("ix_audit_action"), "audit", ["action"])
    op.create_index(op.f("ix_audit_compte_id"), "audit", ["compte_id"])
    op.create_index(op.f("ix_audit_le"), "audit", ["le"])
    op.create_index(op.f("ix_audit_objet"), "audit", ["objet"])

    op.create_table(
        "compte",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("nom", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("organisme", sa.String(), nullable=True),
        sa.Column("territoire", sa.String(), nullable=True),
        sa.Column("mot_de_passe", sa.String(), nullable=True),
        sa.Column("oidc_sub", sa.String(), nullable=True),
        sa.Column("actif", sa.Boolean(), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("oidc_sub"),
    )
    op.create_index(op.f("ix_compte_email"), "compte", ["email"], unique=True)
    op.create_index(op.f("ix_compte_organisme"), "compte", ["organisme"])
    op.create_index(op.f("ix_compte_role"), "compte", ["role"])
    op.create_index(op.f("ix_compte_territoire"), "compte", ["territoire"])

    op.create_table(
        "envoi",
        sa.Column("idempotence", sa.String(), nullable=False),
        sa.Column("canal", sa.String(), nullable=False),
        sa.Column("destinataire", sa.String(), nullable=False),
        sa.Column("sujet", sa.String(), nullable=False),
        sa.Column("envoye_le", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("idempotence"),
    )
    op.create_table(
        "evenement_partenaire",
        sa.Column("partenaire", sa.String(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("sujet", sa.String(), nullable=False),
        sa.Column("survenu_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recu_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("statut", sa.String(), nullable=False),
        sa.Column("parcours_id", sa.String(), nullable=True),
        sa.Column("motif", sa.String(), nullable=True),
        sa.Column("livre_le", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rattache_par", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("partenaire", "id"),
    )
    op.create_index(
        op.f("ix_evenement_partenaire_parcours_id"), "evenement_partenaire", ["parcours_id"]
    )
    op.create_index(op.f("ix_evenement_partenaire_statut"), "evenement_partenaire", ["statut"])
    op.create_index(op.f("ix_evenement_partenaire_sujet"), "evenement_partenaire", ["sujet"])
    op.create_index(op.f("ix_evenement_partenaire_type"), "evenement_partenaire", ["type"])

    op.create_table(
        "observatoire_instantane",
        sa.Column("jour", sa.Date(), nullable=False),
        sa.Column("territoire", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("valeur", sa.JSON(), nullable=True),
        sa.Column("calcule_le", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jour", "territoire", "code"),
    )
    op.create_index(op.f("ix_observatoire_instantane_code"), "observatoire_instantane", ["code"])

    op.create_table(
        "parcours",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("nom", sa.String(), nullable=False),
        sa.Column("prenom", sa.String(), nullable=False),
        sa.Column("date_naissance", sa.Date(), nullable=False),
        sa.Column("commune", sa.String(), nullable=False),
        sa.Column("territoire", sa.String(), nullable=False),
        sa.Column("organisme", sa.String(), nullable=True),
        sa.Column("referent_id", sa.String(), nullable=True),
        sa.Column("referent_nom", sa.String(), nullable=True),
        sa.Column("transfert_vers_id", sa.String(), nullable=True),
        sa.Column("phase", sa.String(), nullable=False),
        sa.Column("phase_depuis", sa.Date(), nullable=False),
        sa.Column("statut", sa.String(), nullable=False),
        sa.Column("motifs", sa.JSON(), nullable=True),
        sa.Column("prochaine_echeance", sa.Date(), nullable=True),
        sa.Column("prochaine_echeance_libelle", sa.String(), nullable=True),
        sa.Column("prochain_rdv", sa.DateTime(timezone=True), nullable=True),
        sa.Column("derniere_interaction", sa.Date(), nullable=False),
        sa.Column("incidents_ouverts", sa.Integer(), nullable=False),
        sa.Column("ouvert_le", sa.Date(), nullable=False),
        sa.Column("clos_le", sa.Date(), nullable=True),
        sa.Column("sortie_motif", sa.String(), nullable=True),
        sa.Column("sortie_positive", sa.Boolean(), nullable=True),
        sa.Column("anonymise", sa.Boolean(), nullable=False),
        sa.Column("etat", sa.JSON(), nullable=True),
        sa.Column("mis_a_jour", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_parcours_nom"), "parcours", ["nom"])
    op.create_index(op.f("ix_parcours_organisme"), "parcours", ["organisme"])
    op.create_index(op.f("ix_parcours_ouvert_le"), "parcours", ["ouvert_le"])
    op.create_index(op.f("ix_parcours_phase"), "parcours", ["phase"])
    op.create_index(op.f("ix_parcours_reference"), "parcours", ["reference"])
    op.create_index(op.f("ix_parcours_referent_id"), "parcours", ["referent_id"])
    op.create_index(op.f("ix_parcours_statut"), "parcours", ["statut"])
    op.create_index(op.f("ix_parcours_territoire"), "parcours", ["territoire"])
    op.create_index(op.f("ix_parcours_transfert_vers_id"), "parcours", ["transfert_vers_id"])

    op.create_table(
        "tentative_oidc",
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("nonce", sa.String(), nullable=False),
        sa.Column("verifier", sa.String(), nullable=False),
        sa.Column("suite", sa.String(), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state"),
    )
    op.create_table(
        "acces_usager",
        sa.Column("empreinte", sa.String(), nullable=False),
        sa.Column("parcours_id", sa.String(), nullable=False),
        sa.Column("expire_le", sa.Date(), nullable=False),
        sa.Column("revoque", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["parcours_id"], ["parcours.id"]),
        sa.PrimaryKeyConstraint("empreinte"),
    )
    op.create_index(op.f("ix_acces_usager_parcours_id"), "acces_usager", ["parcours_id"])

    op.create_table(
        "identifiant_partenaire",
        sa.Column("cle", sa.String(), nullable=False),
        sa.Column("valeur", sa.String(), nullable=False),
        sa.Column("parcours_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["parcours_id"], ["parcours.id"]),
        sa.PrimaryKeyConstraint("cle", "valeur", "parcours_id"),
    )
    op.create_table(
        "incident",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("parcours_id", sa.String(), nullable=False),
        sa.Column("territoire", sa.String(), nullable=False),
        sa.Column("partenaire", sa.String(), nullable=False),
        sa.Column("operation", sa.String(), nullable=False),
        sa.Column("message", sa.String(), nullable=False),
        sa.Column("definitif", sa.Boolean(), nullable=False),
        sa.Column("tentatives", sa.Integer(), nullable=False),
        sa.Column("premiere_erreur", sa.DateTime(timezone=True), nullable=False),
        sa.Column("derniere_erreur", sa.DateTime(timezone=True), nullable=False),
        sa.Column("statut", sa.String(), nullable=False),
        sa.Column("resolution", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["parcours_id"], ["parcours.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_incident_parcours_id"), "incident", ["parcours_id"])
    op.create_index(op.f("ix_incident_partenaire"), "incident", ["partenaire"])
    op.create_index(op.f("ix_incident_statut"), "incident", ["statut"])
    op.create_index(op.f("ix_incident_territoire"), "incident", ["territoire"])

    op.create_table(
        "jeton_api",
        sa.Column("empreinte", sa.String(), nullable=False),
        sa.Column("compte_id", sa.String(), nullable=False),
        sa.Column("nom", sa.String(), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expire_le", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoque", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["compte_id"], ["compte.id"]),
        sa.PrimaryKeyConstraint("empreinte"),
    )
    op.create_index(op.f("ix_jeton_api_compte_id"), "jeton_api", ["compte_id"])

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cle", sa.String(), nullable=False),
        sa.Column("compte_id", sa.String(), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("titre", sa.String(), nullable=False),
        sa.Column("texte", sa.String(), nullable=False),
        sa.Column("lien", sa.String(), nullable=True),
        sa.Column("lue", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["compte_id"], ["compte.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cle"),
    )
    op.create_index(op.f("ix_notification_compte_id"), "notification", ["compte_id"])

    op.create_table(
        "parcours_acces",
        sa.Column("parcours_id", sa.String(), nullable=False),
        sa.Column("compte_id", sa.String(), nullable=False),
        sa.Column("jusqu_au", sa.Date(), nullable=True),
        sa.Column("motif", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["parcours_id"], ["parcours.id"]),
        sa.PrimaryKeyConstraint("parcours_id", "compte_id"),
    )
    op.create_index(op.f("ix_parcours_acces_compte_id"), "parcours_acces", ["compte_id"])

    op.create_table(
        "parcours_alerte",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcours_id", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("cle", sa.String(), nullable=False),
        sa.Column("libelle", sa.String(), nullable=False),
        sa.Column("severite", sa.String(), nullable=False),
        sa.Column("depuis", sa.Date(), nullable=False),
        sa.Column("echeance", sa.Date(), nullable=True),
        sa.Column("territoire", sa.String(), nullable=False),
        sa.Column("organisme", sa.String(), nullable=True),
        sa.Column("referent_id", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["parcours_id"], ["parcours.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alerte_territoire_code", "parcours_alerte", ["territoire", "code"])
    op.create_index(op.f("ix_parcours_alerte_parcours_id"), "parcours_alerte", ["parcours_id"])

    op.create_table(
        "parcours_evenement",
        sa.Column("parcours_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("enregistre_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("le", sa.Date(), nullable=False),
        sa.Column("categorie", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("libelle", sa.String(), nullable=False),
        sa.Column("auteur_id", sa.String(), nullable=False),
        sa.Column("auteur_nom", sa.String(), nullable=False),
        sa.Column("auteur_role", sa.String(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("sensible", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["parcours_id"], ["parcours.id"]),
        sa.PrimaryKeyConstraint("parcours_id", "seq"),
    )
    op.create_index(op.f("ix_parcours_evenement_categorie"), "parcours_evenement", ["categorie"])
    op.create_index(op.f("ix_parcours_evenement_code"), "parcours_evenement", ["code"])
    op.create_index(op.f("ix_parcours_evenement_le"), "parcours_evenement", ["le"])

    op.create_table(
        "parcours_phase",
        sa.Column("parcours_id", sa.String(), nullable=False),
        sa.Column("ordre", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(), nullable=False),
        sa.Column("du", sa.Date(), nullable=False),
        sa.Column("au", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["parcours_id"], ["parcours.id"]),
        sa.PrimaryKeyConstraint("parcours_id", "ordre"),
    )
    op.create_index(op.f("ix_parcours_phase_phase"), "parcours_phase", ["phase"])

    op.create_table(
        "session",
        sa.Column("empreinte", sa.String(), nullable=False),
        sa.Column("compte_id", sa.String(), nullable=False),
        sa.Column("csrf", sa.String(), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vu_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("adresse", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["compte_id"], ["compte.id"]),
        sa.PrimaryKeyConstraint("empreinte"),
    )
    op.create_index(op.f("ix_session_compte_id"), "session", ["compte_id"])


def downgrade() -> None:
    # Tables that point to others first; their indexes go with them.
    op.drop_table("session")
    op.drop_table("parcours_phase")
    op.drop_table("parcours_evenement")
    op.drop_table("parcours_alerte")
    op.drop_table("parcours_acces")
    op.drop_table("notification")
    op.drop_table("jeton_api")
    op.drop_table("incident")
    op.drop_table("identifiant_partenaire")
    op.drop_table("acces_usager")
    op.drop_table("tentative_oidc")
    op.drop_table("parcours")
    op.drop_table("observatoire_instantane")
    op.drop_table("evenement_partenaire")
    op.drop_table("envoi")
    op.drop_table("compte")
    op.drop_table("audit")
