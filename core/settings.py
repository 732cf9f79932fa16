"""One settings object for the whole platform, read from the environment.

Every name below is documented in the README (section « Configuration »).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from core.fichiers_secrets import SecretsEnFichiers

ROOT = Path(__file__).resolve().parent.parent

# A development key, committed on purpose so that `make run` works out of the box.
# Production sets CODEC_KEYS from a secret store; see the README.
DEV_CODEC_KEY = "dev-2026:Y2xlLWRlLWRldi1wYXJjb3Vycy1OT04tU0VDUkVURSE="
ENVIRONNEMENTS = ("dev", "production")

# The same for the key of the audit log's HMAC chain (services/audit.py): production sets
# AUDIT_KEY from a secret store, never in the database that the log lives in.
DEV_AUDIT_KEY = "dev-cle-du-journal-d-audit-NON-SECRETE"

# And for the key of the NIRs' HMAC (importation/nir.py): a list's NIR is kept only as this
# HMAC, which whoever reads the database cannot recompute from a NIR without the key.
DEV_NIR_KEY = "dev-cle-des-nir-NON-SECRETE"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    # « dev » (make run, the tests) or « production » (docker-compose.yml, the image): in
    # production the web app and the worker refuse to start on a development or missing
    # secret (core/production.py says which).
    parcours_env: str = Field("dev", alias="PARCOURS_ENV")
    # « json » (one object per line) or « texte »; unset: json in production, texte otherwise
    # (make run). core/journaux.py.
    log_format: Literal["json", "texte"] | None = Field(None, alias="LOG_FORMAT")

    host: str = Field("127.0.0.1", alias="HOST")
    port: int = Field(8000, alias="PORT")
    public_url: str = Field("", alias="PUBLIC_URL", description="URL vue par les navigateurs")
    data_dir: Path = Field(ROOT / "var", alias="DATA_DIR")

    # Temporal: empty address = the embedded dev server started by `make run`.
    temporal_address: str = Field("", alias="TEMPORAL_ADDRESS")
    temporal_namespace: str = Field("default", alias="TEMPORAL_NAMESPACE")
    temporal_port: int = Field(7233, alias="TEMPORAL_PORT")
    temporal_ui_port: int = Field(8233, alias="TEMPORAL_UI_PORT")
    temporal_retention_days: int = Field(3650, alias="TEMPORAL_RETENTION_DAYS")
    temporal_ui_origin: str = Field(
        "", alias="TEMPORAL_UI_ORIGIN", description="Origine de l'interface Temporal"
    )
    # Temporal Cloud or any cluster behind TLS: an API key, or a client certificate (mTLS).
    temporal_api_key: str = Field("", alias="TEMPORAL_API_KEY")
    temporal_tls: bool | None = Field(None, alias="TEMPORAL_TLS")  # None: TLS if API key
    temporal_tls_cert: Path | None = Field(None, alias="TEMPORAL_TLS_CERT")
    temporal_tls_key: Path | None = Field(None, alias="TEMPORAL_TLS_KEY")
    temporal_tls_ca: Path | None = Field(None, alias="TEMPORAL_TLS_CA")
    temporal_tls_server_name: str = Field("", alias="TEMPORAL_TLS_SERVER_NAME")

    database_url: str = Field("", alias="DATABASE_URL")

    # Payload encryption keys, "id:base64key,id:base64key" — the first one encrypts.
    codec_keys: str = Field(DEV_CODEC_KEY, alias="CODEC_KEYS")

    # Key of the audit log's HMAC chain: whoever can write the database but lacks it cannot
    # forge an entry. Same value for the web app, the worker and `make audit`. To change it:
    # "new,old" (the first signs, all verify).
    audit_key: str = Field(DEV_AUDIT_KEY, alias="AUDIT_KEY")
    # Key of the HMAC under which an imported list's NIRs are kept (never in clear). Changing
    # it makes the NIRs of earlier lists unrecognisable (name and date of birth still match).
    nir_key: str = Field(DEV_NIR_KEY, alias="NIR_KEY")

    # Sessions of the cockpit.
    session_idle_minutes: int = Field(30, alias="SESSION_IDLE_MINUTES")
    session_max_hours: int = Field(10, alias="SESSION_MAX_HOURS")
    secure_cookies: bool = Field(False, alias="SECURE_COOKIES")

    # Partner systems.
    partners_file: Path = Field(ROOT / "config" / "partners.toml", alias="PARTNERS_FILE")
    partner_rate_limit_per_minute: int = Field(600, alias="PARTNER_RATE_LIMIT_PER_MINUTE", ge=1)
    simulator_port: int = Field(8100, alias="SIMULATOR_PORT")
    partner_base_url: str = Field("", alias="PARTNER_BASE_URL")
    smtp_host: str = Field("127.0.0.1", alias="SMTP_HOST")
    smtp_port: int = Field(8025, alias="SMTP_PORT")
    mail_from: str = Field("parcours@spie74.local", alias="MAIL_FROM")
    # --- rdv dans l'outil externe --- The appointment tool of the département (issue 18,
    # item 5). Empty: the platform's own agenda (invitations open its booking page).
    # « rdv-solidarites »: an invitation sent to a person registered in RDV-Solidarités carries
    # the tool's booking link (its /prendre_rdv with their invitation token, as RDV-Insertion
    # sends it), the appointment is taken there and comes back by webhook. The tool has no
    # public API that creates an appointment (docs/connecteurs/rdv-solidarites.md).
    rdv_outil_externe: Literal["", "rdv-solidarites"] = Field("", alias="RDV_OUTIL_EXTERNE")
    # The département's organisations in the tool (comma-separated ids) whose motifs the link
    # offers, and the département's number the tool's search starts from.
    rdv_solidarites_organisation_ids: str = Field(
        "", alias="RDV_SOLIDARITES_ORGANISATION_IDS", pattern=r"^(\d+(,\d+)*)?$"
    )
    rdv_solidarites_departement: str = Field(
        "74", alias="RDV_SOLIDARITES_DEPARTEMENT", pattern=r"^(\d{2,3}|2[AB])$"
    )
    # The national company directory (recherche-entreprises, open API without key): it fills a
    # company's name, NAF and address from its SIRET. Empty: companies are typed by hand.
    recherche_entreprises_url: str = Field("", alias="RECHERCHE_ENTREPRISES_URL")
    # --- offres FT et import d'entreprises --- France Travail's « API Offres d'emploi v2 »
    # (employeurs/france_travail.py): its offers of the département imported nightly. Off
    # while one of the four is empty; no value is committed (production checks them).
    france_travail_offres_url: str = Field("", alias="FRANCE_TRAVAIL_OFFRES_URL")
    france_travail_jeton_url: str = Field("", alias="FRANCE_TRAVAIL_JETON_URL")
    france_travail_client_id: str = Field("", alias="FRANCE_TRAVAIL_CLIENT_ID")
    france_travail_client_secret: SecretStr = Field(
        SecretStr(""), alias="FRANCE_TRAVAIL_CLIENT_SECRET"
    )
    # « aucune » (the local relay, the simulator), « starttls » (587) or « tls » (SMTPS, 465);
    # an account authenticates only over one of the last two (core/smtp.py).
    smtp_securite: Literal["aucune", "starttls", "tls"] = Field("aucune", alias="SMTP_SECURITE")
    smtp_utilisateur: str = Field("", alias="SMTP_UTILISATEUR")
    smtp_mot_de_passe: str = Field("", alias="SMTP_MOT_DE_PASSE")
    smtp_ca: Path | None = Field(None, alias="SMTP_CA")

    # OpenID Connect login (ProConnect or any OIDC provider); empty issuer = local accounts only.
    oidc_issuer: str = Field("", alias="OIDC_ISSUER")
    oidc_client_id: str = Field("", alias="OIDC_CLIENT_ID")
    oidc_client_secret: str = Field("", alias="OIDC_CLIENT_SECRET")
    oidc_scopes: str = Field("openid email given_name usual_name", alias="OIDC_SCOPES")
    oidc_libelle: str = Field("ProConnect", alias="OIDC_LIBELLE")
    # A first login matching a known structure (SIRET claim or e-mail domain) creates an
    # account awaiting approval by that structure's administrator, instead of a refusal.
    oidc_comptes_en_attente: bool = Field(False, alias="OIDC_COMPTES_EN_ATTENTE")

    # RGPD: closed parcours are anonymised this many days after their sortie.
    anonymisation_jours: int = Field(3 * 365, alias="ANONYMISATION_JOURS", ge=0)

    demo_data: bool = Field(True, alias="DEMO_DATA")

    # Who runs the platform, in the header and the footer. The DSFR's Marianne block is the
    # State's: only a State operator (OPERATEUR_ETAT=true) shows it; a GIP or a Département
    # shows its own name (and logo, a path under /static, if given).
    operateur_nom: str = Field("Département de la Haute-Savoie", alias="OPERATEUR_NOM")
    operateur_etat: bool = Field(False, alias="OPERATEUR_ETAT")
    operateur_logo: str | None = Field(None, alias="OPERATEUR_LOGO", pattern=r"^/static/[\w./-]+$")
    # The SPIE's territory with its article, as it follows « SPIE » (« de l'Ain », « du Rhône »).
    operateur_territoire: str = Field(
        "de la Haute-Savoie", alias="OPERATEUR_TERRITOIRE", pattern=r"^(de la |de l'|du |des )\S"
    )
    # The documents of the dossiers (pieces/): encrypted files under DATA_DIR/pieces, or, when
    # PIECES_S3_BUCKET is set, objects of an S3-compatible store (MinIO in docker-compose.yml).
    pieces_s3_bucket: str = Field("", alias="PIECES_S3_BUCKET")
    pieces_s3_endpoint: str = Field("", alias="PIECES_S3_ENDPOINT")  # empty: AWS's own
    pieces_s3_region: str = Field("us-east-1", alias="PIECES_S3_REGION")
    pieces_s3_access_key: str = Field("", alias="PIECES_S3_ACCESS_KEY")
    pieces_s3_secret_key: str = Field("", alias="PIECES_S3_SECRET_KEY")
    # Supervision. METRICS_TOKEN: the bearer token Prometheus sends to the web's /metrics
    # (empty: the route answers 404). WORKER_METRICS_ADDRESS: where the worker serves the
    # Temporal SDK's Prometheus metrics (« 0.0.0.0:9464 »; empty: not served).
    metrics_token: str = Field("", alias="METRICS_TOKEN")
    worker_metrics_address: str = Field("", alias="WORKER_METRICS_ADDRESS")
    # OpenTelemetry traces, sent by OTLP/HTTP to this collector (« http://otel:4318 »);
    # empty: no tracing at all (core/traces.py).
    otel_endpoint: str = Field("", alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    # The version this code was built as: the image sets it from its build argument (git
    # describe, make image); unset, the package's own (pyproject.toml). core/version.py.
    parcours_version: str = Field("", alias="PARCOURS_VERSION")

    # Backups (ops/sauvegarde.py, docs/sauvegardes.md): the AES-256 key of the archives
    # (base64; kept apart from them), where they go, how many are kept, and Temporal's
    # PostgreSQL (« postgresql://temporal:…@temporal-postgresql:5432 », its two databases
    # temporal and temporal_visibility); unset: the embedded server's DATA_DIR/temporal.db.
    sauvegarde_cle: str = Field("", alias="SAUVEGARDE_CLE")
    sauvegarde_dir: Path = Field(ROOT / "sauvegardes", alias="SAUVEGARDE_DIR")
    sauvegarde_garder: int = Field(14, alias="SAUVEGARDE_GARDER", ge=1)
    temporal_database_url: str = Field("", alias="TEMPORAL_DATABASE_URL")

    # Workflows kept in the worker's memory between tasks (Temporal's sticky cache). 0 makes
    # every task replay the whole history: 5x the CPU, and it stalled parcours under load
    # (docs/reliability.md tells why the cache came back, and what watches it).
    worker_cache: int = Field(1000, alias="WORKER_CACHE", ge=0)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The environment, then each setting's ``NAME_FILE`` (core/fichiers_secrets.py)."""
        return (init_settings, env_settings, SecretsEnFichiers(settings_cls), dotenv_settings)

    @field_validator("parcours_env")
    @classmethod
    def _environnement_connu(cls, valeur: str) -> str:
        if valeur not in ENVIRONNEMENTS:
            raise ValueError("PARCOURS_ENV vaut « dev » ou « production »")
        return valeur

    @property
    def production(self) -> bool:
        return self.parcours_env == "production"

    @property
    def effective_temporal_address(self) -> str:
        return self.temporal_address or f"127.0.0.1:{self.temporal_port}"

    @property
    def embedded_temporal(self) -> bool:
        return not self.temporal_address

    @property
    def format_des_journaux(self) -> Literal["json", "texte"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.parcours_env == "production" else "texte"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'parcours.db'}"

    @property
    def effective_partner_base_url(self) -> str:
        return self.partner_base_url or f"http://127.0.0.1:{self.simulator_port}"

    @property
    def effective_public_url(self) -> str:
        return self.public_url or f"http://localhost:{self.port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
