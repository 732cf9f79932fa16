"""What production refuses to start with: the one rule, used by the web app and the worker.

With ``PARCOURS_ENV=production`` every development default that would open the platform to
anyone who has read the repository — the committed partner secrets and tokens, the
development encryption key, cookies without ``Secure``, the example public address, the demo
data — and every secret left out stops the process, with one French message naming each
setting to fix at once (fixing them one start at a time would be tedious).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.codec import CodecKeyError, parse_keys
from core.fichiers_secrets import avec_fichiers
from core.partners import CONNECTEURS, PREFIXE_SECRET, cle_webhook, env_name, lire_toml
from core.settings import DEV_AUDIT_KEY, DEV_NIR_KEY, Settings

# SHA-256 of the key material of every development value committed in the repository
# (config/partners.dev.toml, DEV_CODEC_KEY): refused in production even when passed by the
# environment. Digests, not the values, so that the image carries none of them;
# tests/deploy/test_production.py checks that the list covers the committed files.
EMPREINTES_DEV = frozenset(
    {
        "6d58502a3114e4e0d7341f0f0032aade3b90807b4be4e7ec6da5df8ef7299c58",  # france-travail
        "7a47d8bd07f9d885c720f9498242db2166840e2f01e3b0bf23f40ff0ac9e9cf3",
        "253ebc47fcb4930e9cee86f0a86fd3d0abb2100eea35f7360e33652940fd7400",  # caf
        "f08e9fbe948792e4916f9bff628d3b24f3bcc79552ee6845a046be8ef6cc3c93",
        "2d69499ef5ea00628709e2418359d8352f9957200a73c721a5e0ecb084edaea2",  # employeur
        "318970587847dfac5cc393d33cb22d2726206fd4d3e93f387f744d6c9bf1ae52",
        "d57a60e069481d72fa4204f49778946cd6851ba8872c2a31f2ff1628e6e89635",  # siae
        "59314d74733eee28aa5f413faf3cee1d28dc4c387e575a32c8b8c923e32ee6d8",
        "1dac061322fed8ae6d934a43fd0d4c299f9ac8f6966f165167868f22a9365092",  # immersion
        "458aef7c0f0a94fb4365035b6f052f4da022bf32afcf9cd45fdf3465704d4281",
        "375cb9da1e8b75c643b1a3cc6ae230b189c2f64ecdfd1e8c934c26a173af624b",  # rdv
        "c00186d84328e093d74deaf539dfe7d8597adff91b4ba19724388512afb9af96",
        "5fb6a316ad7a9a0cca22e955e554189daa6a9ef724b580358dc3b56cfaba0d6e",  # sms
        "2fb13ba7a53bcad00422c88cb7f8e3f3ea667d500cfe82e9606623e49f69750d",  # data-inclusion
        "7a13ab73d9ec341928e9603ff9a4c22e1da414d758682de42f4bb0a99ac4d9dd",  # DEV_CODEC_KEY
    }
)
CLE_WEBHOOK_MIN = 24  # bytes: the Standard Webhooks specification asks for 24 to 64
JETON_MIN = 16  # characters
HOTES_EXEMPLE = ("localhost", "127.0.0.1", "::1", "0.0.0.0")
DOMAINES_EXEMPLE = ("example", "example.fr", "example.com", "example.org", "example.net")
DEV = "valeur de développement publiée dans le dépôt"


@dataclass(frozen=True)
class Reglage:
    variable: str
    probleme: str


class ProductionRefusee(SystemExit):
    """Raised at start-up: SystemExit prints the message and exits with status 1, no traceback."""

    def __init__(self, refus: list[Reglage]) -> None:
        self.refus = refus
        super().__init__(message(refus))


def empreinte(valeur: bytes) -> str:
    return hashlib.sha256(valeur).hexdigest()


def message(refus: list[Reglage]) -> str:
    lignes = [f"  - {r.variable} : {r.probleme}" for r in refus]
    nombre = f"{len(refus)} réglage{'s' if len(refus) > 1 else ''} à corriger"
    return "\n".join(
        [
            f"Démarrage refusé (PARCOURS_ENV=production) : {nombre}.",
            *lignes,
            "Voir le README, section « Configuration », et .env.exemple.",
        ]
    )


def verifier(settings: Settings, environ: Mapping[str, str] | None = None) -> None:
    """Start-up check of the web app and the worker: nothing outside production."""
    if settings.production and (refus := refus_production(settings, environ)):
        raise ProductionRefusee(refus)


def refus_production(settings: Settings, environ: Mapping[str, str] | None = None) -> list[Reglage]:
    """Every setting production refuses, in the README's order; empty when all is well."""
    env = avec_fichiers(environ)  # the partners' *_FILE secrets too
    return [
        *_cles_de_chiffrement(settings.codec_keys),
        *_cle_d_audit(settings.audit_key),
        *_cle_des_nir(settings.nir_key),
        *_adresse_publique(settings.public_url),
        *_cookies_et_demo(settings),
        *_oidc(settings),
        *_partenaires(settings, env),
        *_offres_france_travail(settings),
    ]


def _cles_de_chiffrement(spec: str) -> list[Reglage]:
    try:
        cles = parse_keys(spec)
    except CodecKeyError as err:
        return [Reglage("CODEC_KEYS", str(err))]
    dev = [cle_id for cle_id, cle in cles if empreinte(cle) in EMPREINTES_DEV]
    if dev:
        return [Reglage("CODEC_KEYS", f"la clé « {dev[0]} » est la clé de développement du dépôt")]
    return []


CLE_AUDIT_MIN = 32  # characters: the HMAC key of the audit chain is drawn, never typed


def _cle_d_audit(spec: str) -> list[Reglage]:
    """AUDIT_KEY is « new,old »: the development key may not sign nor verify anything."""
    cles = [c.strip() for c in spec.split(",")]
    if DEV_AUDIT_KEY in cles:
        return [Reglage("AUDIT_KEY", DEV)]
    if any(len(c) < CLE_AUDIT_MIN for c in cles):
        return [Reglage("AUDIT_KEY", f"clé trop courte (au moins {CLE_AUDIT_MIN} caractères)")]
    return []


def _cle_des_nir(cle: str) -> list[Reglage]:
    """The NIRs' HMAC (importation/nir.py) under a published key could be recomputed from
    any NIR: no better than keeping them in clear."""
    if cle.strip() == DEV_NIR_KEY:
        return [Reglage("NIR_KEY", DEV)]
    if len(cle.strip()) < CLE_AUDIT_MIN:
        return [Reglage("NIR_KEY", f"clé trop courte (au moins {CLE_AUDIT_MIN} caractères)")]
    return []


def _exemple(hote: str) -> bool:
    hote = hote.lower()
    return hote in HOTES_EXEMPLE or any(
        hote == d or hote.endswith(f".{d}") for d in DOMAINES_EXEMPLE
    )


def _adresse_publique(public_url: str) -> list[Reglage]:
    if not public_url:
        return [Reglage("PUBLIC_URL", "absente ; l'adresse https du site est attendue")]
    adresse = urlsplit(public_url)
    if adresse.scheme != "https" or not adresse.hostname:
        return [Reglage("PUBLIC_URL", f"« {public_url} » n'est pas une adresse https")]
    if _exemple(adresse.hostname):
        return [Reglage("PUBLIC_URL", f"« {public_url} » est une adresse d'exemple ou locale")]
    return []


def _cookies_et_demo(settings: Settings) -> list[Reglage]:
    refus = []
    if not settings.secure_cookies:
        refus.append(Reglage("SECURE_COOKIES", "vaut false ; true est obligatoire (site en https)"))
    if settings.demo_data:
        refus.append(
            Reglage(
                "DEMO_DATA", "vaut true ; les comptes de démonstration ont un mot de passe public"
            )
        )
    return refus


def _oidc(settings: Settings) -> list[Reglage]:
    if not settings.oidc_issuer:
        return []
    refus = []
    if urlsplit(settings.oidc_issuer).scheme != "https":
        refus.append(Reglage("OIDC_ISSUER", "le fournisseur d'identité doit être en https"))
    if not settings.oidc_client_id:
        refus.append(Reglage("OIDC_CLIENT_ID", "absent alors que OIDC_ISSUER est défini"))
    if not settings.oidc_client_secret:
        refus.append(Reglage("OIDC_CLIENT_SECRET", "absent alors que OIDC_ISSUER est défini"))
    return refus


def _partenaires(settings: Settings, env: Mapping[str, str]) -> list[Reglage]:
    refus, sans_url = [], []
    for partner_id, valeurs in lire_toml(settings.partners_file).items():
        if valeurs.get("source"):  # it sends events: their signature needs its secret
            refus += _secret_webhook(env_name(partner_id, "SECRET"), env)
        refus += _jeton(env_name(partner_id, "TOKEN"), env)
        refus += _connecteur(partner_id, valeurs, env)
        if url := env.get(env_name(partner_id, "URL")):
            refus += _url_partenaire(env_name(partner_id, "URL"), url)
        else:
            sans_url.append(partner_id)
    if sans_url and not settings.partner_base_url:
        refus.append(
            Reglage(
                "PARTNER_BASE_URL",
                "vide, les appels iraient au simulateur de développement "
                f"(ou PARTNER_<ID>_URL pour : {', '.join(sans_url)})",
            )
        )
    elif sans_url:
        refus += _url_partenaire("PARTNER_BASE_URL", settings.partner_base_url)
    return refus


def _connecteur(
    partner_id: str, valeurs: Mapping[str, object], env: Mapping[str, str]
) -> list[Reglage]:
    """Production speaks to the real partner or to none: never to the development simulator."""
    variable = env_name(partner_id, "CONNECTEUR")
    choisi = env.get(variable, str(valeurs.get("connecteur", "reel")))
    if choisi not in CONNECTEURS:
        return [Reglage(variable, f"« {choisi} » inconnu (reel, desactive ou simulateur)")]
    if choisi == "simulateur":
        return [Reglage(variable, "« simulateur » refusé : choisissez reel ou desactive")]
    return []


def _secret_webhook(variable: str, env: Mapping[str, str]) -> list[Reglage]:
    secret = env.get(variable, "")
    if not secret:
        return [Reglage(variable, "absent (secret « whsec_… » attendu)")]
    cle = cle_webhook(secret)
    if not secret.startswith(PREFIXE_SECRET) or cle is None:
        return [Reglage(variable, "vide ou mal formé (« whsec_ » suivi de la clé en base64)")]
    if empreinte(cle) in EMPREINTES_DEV:
        return [Reglage(variable, DEV)]
    if len(cle) < CLE_WEBHOOK_MIN:
        return [
            Reglage(variable, f"clé trop courte ({len(cle)} octets, au moins {CLE_WEBHOOK_MIN})")
        ]
    return []


def _jeton(variable: str, env: Mapping[str, str]) -> list[Reglage]:
    jeton = env.get(variable, "")
    if not jeton:
        return [Reglage(variable, "absent (jeton d'appel du partenaire)")]
    if empreinte(jeton.encode()) in EMPREINTES_DEV:
        return [Reglage(variable, DEV)]
    if len(jeton) < JETON_MIN:
        return [Reglage(variable, f"trop court ({len(jeton)} caractères, au moins {JETON_MIN})")]
    return []


def _url_partenaire(variable: str, url: str) -> list[Reglage]:
    """Partner calls carry personal data and a bearer token: https, and not the simulator."""
    adresse = urlsplit(url)
    if adresse.scheme != "https" or not adresse.hostname or _exemple(adresse.hostname):
        return [Reglage(variable, f"« {url} » : l'adresse https du partenaire est attendue")]
    return []


# --- offres FT et import d'entreprises ---
VARIABLES_OFFRES_FT = (
    "FRANCE_TRAVAIL_OFFRES_URL",
    "FRANCE_TRAVAIL_JETON_URL",
    "FRANCE_TRAVAIL_CLIENT_ID",
    "FRANCE_TRAVAIL_CLIENT_SECRET",
)


def _offres_france_travail(settings: Settings) -> list[Reglage]:
    """Off (all four empty) is allowed; half set is a mistake, and when on, France Travail is
    called over https at a real address with a secret that is not a placeholder."""
    valeurs = dict(
        zip(
            VARIABLES_OFFRES_FT,
            (
                settings.france_travail_offres_url,
                settings.france_travail_jeton_url,
                settings.france_travail_client_id,
                settings.france_travail_client_secret.get_secret_value(),
            ),
            strict=True,
        )
    )
    if not any(valeurs.values()):
        return []
    refus = [Reglage(v, "absent alors que l'import des offres de France Travail est réglé")
             for v, valeur in valeurs.items() if not valeur]  # fmt: skip
    for variable in VARIABLES_OFFRES_FT[:2]:
        if valeurs[variable]:
            refus += _url_partenaire(variable, valeurs[variable])
    secret = valeurs["FRANCE_TRAVAIL_CLIENT_SECRET"]
    if secret and len(secret) < JETON_MIN:
        refus.append(
            Reglage("FRANCE_TRAVAIL_CLIENT_SECRET", f"trop court (au moins {JETON_MIN} caractères)")
        )
    return refus
