"""Role × route: every route of the application, asked by every kind of person, over real HTTP.

Rows are the routes of ``app.routes`` (a route added without its row fails
``test_chaque_route_a_sa_ligne``); columns are who asks; each cell says what they must get:

* ``ok``   allowed (the case's own success status, and it sees the dossier when that matters);
* ``vide`` allowed, but the answer must not contain the dossier (lists, searches, polling);
* ``401`` / ``403`` / ``404`` refused with that status — a 404 must also be word for word the
  answer for a parcours that does not exist, so that existence does not leak;
* ``cnx``  a cockpit page that sends to the login page.

Whatever the status, no answer of any cell may hold a working link to the person's carnet
(``/carnet/`` and a secret whose fingerprint opens it, or that secret anywhere), nor the
person's phone or e-mail unless the role is one of ``CONTACTS_VISIBLES`` (docs/donnees-personnelles.md,
« Qui voit les coordonnées »).

The dossier: a parcours of the Bassin annécien opened by Sophie Girard and handed over to
Claire Martin (not yet acknowledged), so Claire is its référent and Sophie keeps read access
for 30 days. A twin parcours in the same situation is closed: every command on it is refused
for being closed *after* the access checks, so that the commands' rows change nothing.
"""

from __future__ import annotations

import asyncio
import base64
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import httpx
import pytest
import pytest_asyncio
from fastapi.routing import iter_route_contexts
from sqlmodel import col, select
from starlette.routing import Mount
from temporalio.api.common.v1 import Payload

from core.codec import EncryptionCodec
from core.settings import DEV_CODEC_KEY
from schemas.carnet import empreinte
from schemas.notifications import SORTES
from services.parcours_client import ParcoursClient
from store.comptes import Compte
from store.db import ecriture, make_engine, session_factory
from store.notifications import Notification, notifier
from store.parcours import AccesRow, AccesUsagerRow, IncidentRow, ParcoursRow
from tests import factories
from tests.administration.outils import un_siret
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.partenaires.outils import RAPIDE, evenement, numero_caf, signe, signe_lot
from tests.securite.corps import commandes, formulaire
from web.app import create_app
from web.securite.mots_de_passe import hacher
from web.securite.sessions import creer_jeton

ROLES = (
    "referent",  # Claire Martin: référent of the parcours (handover to her not acknowledged)
    "autre_referent",  # Marc Roux: another référent of the same territory
    "ancien_referent",  # Sophie Girard: former référent, read access during the handover
    "coord",  # coordinator of the parcours' territory (Bassin annécien)
    "coord_autre",  # coordinator of another territory (Chablais)
    "admin",
    "partenaire",  # a partner system: its account's API token, or its signature on events
    "usager",  # the person: the secret of their carnet link (never a credential elsewhere)
    "anonyme",
    "admin_structure",  # administrateur of the « Matrice » Mission Locale (Bassin annécien)
    "admin_territoire",  # administrateur de territoire of the Bassin annécien
    "membre",  # Karim Benali (France Travail): in the équipe de suivi (issue 17)
    "ancien_membre",  # Isabelle Fournier (PLIE): was in the team, and left it
    "refuse",  # Julien Morel (SIAE): asked to join the team, and was refused
    "charge_entreprise",  # chargé de relation entreprise of the Bassin annécien (issue 24)
)
COMPTES = {
    "referent": "ref-claire-martin",
    "autre_referent": "ref-marc-roux",
    "ancien_referent": "ref-sophie-girard",
    "coord": "coord-bassin_annecien",
    "coord_autre": "coord-chablais",
    "admin": "admin",
    "admin_structure": "matrice-admin-structure",
    "admin_territoire": "matrice-admin-territoire",
    "membre": "ref-karim-benali",
    "ancien_membre": "ref-isabelle-fournier",
    "refuse": "ref-julien-morel",
    "charge_entreprise": "matrice-charge-entreprise",
}
# The account administrators hold no parcours: on the parcours' routes, a row written before
# their roles existed gives them what a référent without the dossier gets (« autre_referent »),
# unless the row says otherwise (all the cells). A role added later is appended to ROLES and named
# here with the role whose cell it copies in the rows that do not spell it out.
SANS_DOSSIER = "autre_referent"
COMME = {
    "admin_structure": SANS_DOSSIER,
    "admin_territoire": SANS_DOSSIER,
    # A member reads the dossier and gives no command, like a former référent; whoever left
    # the team or was refused is a référent without the dossier.
    "membre": "ancien_referent",
    "ancien_membre": SANS_DOSSIER,
    "refuse": SANS_DOSSIER,
}
COMME["charge_entreprise"] = SANS_DOSSIER  # holds no parcours either
PARTENAIRE = "partenaire-caf"
# Who may read the person's phone and e-mail: the référent who accompanies them now, and the
# administrator (in the payload of a message not sent yet, to repair a failed send). Not a
# former référent, a coordinator, a partner, nor the person's own carnet page.
CONTACTS_VISIBLES = frozenset({"referent", "admin"})
LIEN_CARNET = re.compile(r"/carnet/([A-Za-z0-9_-]{16,})")
HTMX = {"HX-Request": "true"}


def ligne(cellules: str) -> dict[str, str]:
    """One row of expectations, in the order of ROLES; trailing roles copy their COMME cell."""
    valeurs = dict(zip(ROLES, cellules.split(), strict=False))
    assert len(cellules.split()) <= len(ROLES), cellules
    for role in ROLES[len(valeurs) :]:
        assert role in COMME, f"{role} : cellule manquante dans {cellules!r}"
        valeurs[role] = valeurs[COMME[role]]
    assert set(valeurs.values()) <= {"ok", "vide", "401", "403", "404", "cnx"}, cellules
    return valeurs


#                      réf  autre ancien coord c.autre admin part usager anon
PUBLIC = ligne("       ok   ok    ok     ok    ok      ok    ok   ok     ok")
PERSONNEL_API = ligne("ok   ok    ok     ok    ok      ok    403  401    401")
PERSONNEL_PAGE = ligne("ok  ok    ok     ok    ok      ok    cnx  cnx    cnx")
LIRE_API = ligne("     ok   404   ok     ok    404     ok    403  401    401")
LIRE_PAGE = ligne("    ok   404   ok     ok    404     ok    cnx  cnx    cnx")
VOIR_API = ligne("     ok   vide  ok     ok    vide    ok    403  401    401")
VOIR_PAGE = ligne("    ok   vide  ok     ok    vide    ok    cnx  cnx    cnx")
EXPORT_DOSSIER = ligne("ok  404   403    403   404     ok    403  401    401")
COORD_API = ligne("    403  403   403    ok    ok      ok    403  401    401")
COORD_PAGE = ligne("   403  403   403    ok    ok      ok    cnx  cnx    cnx")
TERRITOIRE_API = ligne("403 403   403    ok    403     ok    403  401    401")
TERRITOIRE_PAGE = ligne("403 403  403    ok    403     ok    cnx  cnx    cnx")
ADMIN_API = ligne("    403  403   403    403   403     ok    403  401    401")
ADMIN_PAGE = ligne("   403  403   403    403   403     ok    cnx  cnx    cnx")
# Own API tokens: managed from a cockpit session only (a token cannot mint tokens), and
# the matrix asks with tokens: every account is refused. Sessions: tests/cockpit/test_jetons.py
JETONS_PAGE = ligne("  403  403   403    403   403     403   cnx  cnx    cnx")
# Commands, on the closed twin: allowed means refused for being closed, after every check.
CMD_REFERENT = ligne(" ok  404   403    403   404     403   403  401    401")
CMD_PARTAGEE = ligne(" ok  404   403    ok    404     ok    403  401    401")
CMD_COORDINATION = ligne("403 404  403    ok    404     ok    403  401    401")
CMD_PAGE_REFERENT = ligne("ok 404  403    403   404     403   cnx  cnx    cnx")
CMD_PAGE_PARTAGEE = ligne("ok 404  403    ok    404     ok    cnx  cnx    cnx")
CMD_PAGE_COORDINATION = ligne("403 404 403  ok    404     ok    cnx  cnx    cnx")
# Attaching a queued partner event: who sees the queue, then the parcours' scope (item 9).
RATTACHER_API = ligne("403  403   403    ok    404     ok    403  401    401")
RATTACHER_PAGE = ligne("403 403   403    ok    404     ok    cnx  cnx    cnx")
# The administration of accounts (every cell written: these rows are about the new roles).
#                           réf  autre ancien coord c.autre admin part usager anon a.str a.ter
ADMIN_COMPTES_API = ligne("  403  403   403    403   403     ok    403  401    401  ok    ok")
ADMIN_COMPTES_PAGE = ligne(" 403  403   403    403   403     ok    cnx  cnx    cnx  ok    ok")
STRUCTURES_API = ligne("     403  403   403    403   403     ok    403  401    401  403   403")
STRUCTURES_PAGE = ligne("    403  403   403    403   403     ok    cnx  cnx    cnx  403   403")
# What web/api/parcours.py does today: it restricts coordinators and référents at accueil, not
# the account administrators, who may open a parcours on any territory. Recorded as it is, to
# be decided by the owners of the accueil (a restriction there turns these cells into 403).
OUVRENT = {"admin_structure": "ok", "admin_territoire": "ok"}
# The directory of référents and organismes is for the professionals who accompany people; the
# account administrators have their own lists of accounts (/api/v1/comptes).
ANNUAIRE_SANS_ADMINS_DE_COMPTES = {"admin_structure": "403", "admin_territoire": "403"}
PUBLIC_404 = ligne("         ok   ok    ok     ok    ok      ok    ok   ok     ok   ok    ok")
STRUCTURE_MATRICE = {
    "nom": "Mission Locale Matrice " + secrets.token_hex(3),
    "type": "mission_locale",
    "siret": un_siret(),
    "territoires": ["bassin_annecien"],
}

# Who may give each command — written here, not read from the transition table, so that a
# change of the table's rights shows up as a failing cell.
COMMANDES_REFERENT = {
    "enregistrer_diagnostic",
    "rediger_contrat",
    "signer_contrat",
    "reviser_contrat",
    "ajouter_avenant",
    "renouveler_contrat",
    "prescrire_action",
    "mettre_a_jour_action",
    "prescrire_pmsmp",
    "signer_pmsmp",
    "valider_pmsmp",
    "annuler_pmsmp",
    "rediger_bilan_pmsmp",
    "declarer_embauche",
    "enregistrer_point_suivi",
    "declarer_fin_emploi",
    "planifier_rdv",
    "renseigner_rdv",
    "regler_rappels",
    "modifier_consentement",
    "envoyer_lien_carnet",
    "inviter_rdv",
    "accuser_transfert",  # the new référent's: Claire, whose handover is pending
    "envoyer_message",  # --- messages à la personne ---
}
COMMANDES_PARTAGEES = {  # the référent, the territory's coordination, the administration
    "decider_orientation",
    "demander_reorientation",
    "transferer_referent",
    "signaler_manquement",
    "enregistrer_contact",
    "planifier_reunion",
    "modifier_identifiants",
    "suspendre_parcours",
    "reprendre_parcours",
    "rectifier_identite",
    "revoquer_liens_carnet",
    "relancer_incident",
    "resoudre_incident",
    "prononcer_sortie",
}
COMMANDES_COORDINATION = {"relancer_referent"}


@dataclass
class Contexte:
    pid: str  # the dossier, open
    clos: str  # its closed twin
    nom: str
    lien: str  # secret of the person's carnet link
    empreintes: frozenset[str]  # fingerprints of the links that open the carnet
    contacts: tuple[str, ...]  # the person's phone (as typed and without spaces), e-mail
    evenement: str  # a CAF event waiting in the « à rapprocher » queue
    jeton_partenaire: str
    jetons: dict[str, str]
    payload: dict[str, Any]  # an encrypted Temporal payload, as the Temporal UI sends it
    plateforme: Plateforme
    jour: date = field(default_factory=date.today)
    structure: str = ""  # the « Matrice » Mission Locale
    cible: str = ""  # an account of that structure, that every kind of administrator manages
    jeton_cible: str = ""  # the id of one of its API tokens
    import_id: str = ""  # an import of the Bassin annécien's coordination, not confirmed
    document: str = ""  # a PDF attached to the dossier by its référent
    note: str = ""  # a note of the team on the dossier, by its member
    demande: str = ""  # a request to join the closed twin's team, pending
    notification: int = 0  # --- notifications --- one of Claire's, about the dossier

    def inconnu(self) -> Contexte:
        """The same requests about parcours that do not exist."""
        return replace(
            self,
            pid=str(uuid.uuid4()),
            clos=str(uuid.uuid4()),
            import_id=str(uuid.uuid4()),
            notification=0,
        )

    def entetes(self, role: str) -> dict[str, str]:
        if role in COMPTES:
            return {"Authorization": f"Bearer {self.jetons[COMPTES[role]]}"}
        if role == "partenaire":
            return {"Authorization": f"Bearer {self.jeton_partenaire}"}
        if role == "usager":
            return {"Authorization": f"Bearer {self.lien}"}
        return {}


@dataclass
class Requete:
    methode: str
    url: str
    params: Any = None
    json: Any = None
    data: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


Construire = Callable[[Contexte, str], Requete]
Valeur = Any  # a value, or a function of the Contexte that gives it


def _v(valeur: Valeur, ctx: Contexte) -> Any:
    return valeur(ctx) if callable(valeur) else valeur


def req(
    methode: str,
    chemin: str,
    *,
    params: Valeur = None,
    json: Valeur = None,
    data: Valeur = None,
    htmx: bool = False,
) -> Construire:
    """A request whose path may name {pid}, {clos}, {evenement} and {lien} — the person's
    own link for the usager, an unknown one for everyone else."""

    def construire(ctx: Contexte, role: str) -> Requete:
        lien = ctx.lien if role == "usager" else secrets.token_hex(32)
        url = chemin.format(
            pid=ctx.pid,
            clos=ctx.clos,
            evenement=ctx.evenement,
            lien=lien,
            structure=ctx.structure,
            cible=ctx.cible,
            jeton=ctx.jeton_cible,
            import_id=ctx.import_id,
            document=ctx.document,
            note=ctx.note,
            demande=ctx.demande,
            notification=ctx.notification,
        )
        return Requete(
            methode,
            url,
            params=_v(params, ctx),
            json=_v(json, ctx),
            data=_v(data, ctx),
            headers=dict(HTMX) if htmx else {},
        )

    return construire


@dataclass(frozen=True)
class Cas:
    libelle: str
    attendu: dict[str, str]
    requete: Construire
    ok: frozenset[int] = frozenset({200})
    voit: Callable[[httpx.Response, Contexte], bool] | None = None  # the dossier is in it
    controle: Callable[[httpx.Response], bool] | None = None  # what an allowed answer says


def _dans_la_page(r: httpx.Response, ctx: Contexte) -> bool:
    return f"/parcours/{ctx.pid}" in r.text


def _dans_la_liste(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.pid in [p["id"] for p in r.json()["items"]]


def _incident_vu(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.pid in [i["parcours_id"] for i in r.json()["incidents"]]


def _evenement_vu(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.evenement in [e["id"] for e in r.json()["items"]]


def _version_signalee(r: httpx.Response, _: Contexte) -> bool:
    return "HX-Trigger" in r.headers


def _clos(r: httpx.Response) -> bool:
    """Allowed, then refused because the parcours is closed: nothing was written."""
    if r.headers.get("content-type", "").startswith(
        ("application/json", "application/problem+json")
    ):
        corps = r.json()
        return corps["code"] in ("commande_refusee", "parcours_clos") and "clos" in corps["message"]
    return "clos" in r.text


def _pdf(r: httpx.Response) -> bool:
    return r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")


def _accueil(nom: str, **extra: Any) -> Callable[[Contexte], dict[str, Any]]:
    def corps(ctx: Contexte) -> dict[str, Any]:
        unique = f"{nom}{secrets.token_hex(4).upper()}"
        return donnees.accueil(ctx.jour, nom=unique) | extra

    return corps


def _evenement_partenaire(type_: str) -> Construire:
    """The partner signs its event; everyone else sends the same bytes with their credentials
    but without the partner's signature."""

    def construire(ctx: Contexte, role: str) -> Requete:
        p = ctx.plateforme
        ev = evenement(p, "caf", type_, numero_caf(), {"date_effet": ctx.jour.isoformat()})
        corps, entetes = signe(p, "caf", ev)
        if role != "partenaire":
            entetes = {"Content-Type": entetes["Content-Type"]}
        return Requete("POST", "/api/v1/partners/caf/events", content=corps, headers=entetes)

    return construire


def _lot_partenaire(*types: str) -> Construire:
    """The batched form: the partner signs the array once; everyone else sends the same bytes
    with their credentials but without the partner's signature."""

    def construire(ctx: Contexte, role: str) -> Requete:
        p = ctx.plateforme
        data = {"date_effet": ctx.jour.isoformat()}
        evs = [evenement(p, "caf", t, numero_caf(), data) for t in types]
        corps, entetes = signe_lot(p, "caf", evs)
        if role != "partenaire":
            entetes = {"Content-Type": entetes["Content-Type"]}
        return Requete("POST", "/api/v1/partners/caf/events", content=corps, headers=entetes)

    return construire


def _resultats(*statuts: str) -> Callable[[httpx.Response], bool]:
    """A batch's answer: one result per event, saying no more than a single answer would."""

    def controle(r: httpx.Response) -> bool:
        resultats = r.json()["resultats"]
        permis = {"id", "status", "matched", "code", "message", "erreurs"}
        return [x["status"] for x in resultats] == list(statuts) and all(
            set(x) <= permis for x in resultats
        )

    return controle


FORMULAIRES_CMD = {  # flat commands, as the cockpit's forms post them
    "enregistrer_contact": CMD_PAGE_PARTAGEE,
    "regler_rappels": CMD_PAGE_REFERENT,
    "relancer_referent": CMD_PAGE_COORDINATION,
    "accuser_transfert": CMD_PAGE_REFERENT,
    "envoyer_message": CMD_PAGE_REFERENT,  # --- messages à la personne ---
}


def _commandes_api() -> dict[tuple[str, str], list[Cas]]:
    lignes = {}
    for nom in sorted(COMMANDES_REFERENT | COMMANDES_PARTAGEES | COMMANDES_COORDINATION):
        attendu = (
            CMD_REFERENT
            if nom in COMMANDES_REFERENT
            else CMD_PARTAGEE
            if nom in COMMANDES_PARTAGEES
            else CMD_COORDINATION
        )
        chemin = f"/api/v1/parcours/{{parcours_id}}/{nom.replace('_', '-')}"
        corps = (lambda n: lambda ctx: commandes(ctx.jour)[n])(nom)
        requete = req("POST", chemin.replace("{parcours_id}", "{clos}"), json=corps)
        lignes[("POST", chemin)] = [Cas(nom, attendu, requete, ok=frozenset({409}), controle=_clos)]
    return lignes


def _nouveau_referent(ctx: Contexte) -> dict[str, str]:
    return {
        "email": f"matrice.{secrets.token_hex(4)}@ml-matrice.fr",
        "nom": "Nouveau Référent",
        "role": "referent",
        "structure_id": ctx.structure,
    }


def _nouvelle_structure(_: Contexte) -> dict[str, Any]:
    return STRUCTURE_MATRICE | {"nom": f"Structure {secrets.token_hex(4)}", "siret": un_siret()}


def _ids(r: httpx.Response) -> list[str]:
    return [x["id"] for x in r.json()]


def _administration() -> dict[tuple[str, str], list[Cas]]:
    """Structures and accounts: the API, the cockpit's pages, the activation page."""
    api, compte = "/api/v1/comptes", "/api/v1/comptes/{compte_id}"
    page = "/administration/comptes/{compte_id}"
    return {
        ("GET", "/api/v1/structures"): [
            Cas(
                "liste",
                ADMIN_COMPTES_API,
                req("GET", "/api/v1/structures"),
                voit=lambda r, c: c.structure in _ids(r),
            )
        ],
        ("POST", "/api/v1/structures"): [
            Cas(
                "création",
                STRUCTURES_API,
                req("POST", "/api/v1/structures", json=_nouvelle_structure),
                ok=frozenset({201}),
            )
        ],
        ("GET", "/api/v1/structures/{structure_id}"): [
            Cas(
                "la Mission Locale", ADMIN_COMPTES_API, req("GET", "/api/v1/structures/{structure}")
            )
        ],
        ("PUT", "/api/v1/structures/{structure_id}"): [
            Cas(
                "inchangée",
                STRUCTURES_API,
                req("PUT", "/api/v1/structures/{structure}", json=STRUCTURE_MATRICE),
            )
        ],
        ("GET", api): [
            Cas("liste", ADMIN_COMPTES_API, req("GET", api), voit=lambda r, c: c.cible in _ids(r)),
            Cas(
                "demandes en attente", ADMIN_COMPTES_API, req("GET", api, params={"en_attente": 1})
            ),
        ],
        ("POST", api): [
            Cas(
                "un référent de la Mission Locale",
                ADMIN_COMPTES_API,
                req("POST", api, json=_nouveau_referent),
                ok=frozenset({201}),
            ),
            Cas(
                "un administrateur",
                STRUCTURES_API,
                req("POST", api, json=lambda c: _nouveau_referent(c) | {"role": "administrateur"}),
                ok=frozenset({201}),
            ),
        ],
        ("GET", compte): [
            Cas("compte de la Mission Locale", ADMIN_COMPTES_API, req("GET", f"{api}/{{cible}}")),
            Cas(
                "Claire Martin (CD, Bassin annécien)",
                ligne("403 403 403 403 403 ok 403 401 401 404 ok"),
                req("GET", f"{api}/ref-claire-martin"),
            ),
            Cas(
                "Camille Henry (Mission Locale du Chablais)",
                ligne("403 403 403 403 403 ok 403 401 401 404 404"),
                req("GET", f"{api}/ref-camille-henry"),
            ),
        ],
        ("PATCH", compte): [
            Cas(
                "même nom",
                ADMIN_COMPTES_API,
                req("PATCH", f"{api}/{{cible}}", json={"nom": "Cible Matrice"}),
            )
        ],
        **{
            ("GET", f"{compte}/{quoi}"): [
                Cas(quoi, ADMIN_COMPTES_API, req("GET", f"{api}/{{cible}}/{quoi}"))
            ]
            for quoi in ("parcours", "jetons", "journal")
        },
        ("POST", f"{compte}/desactiver"): [
            Cas(
                "sans parcours",
                ADMIN_COMPTES_API,
                req("POST", f"{api}/{{cible}}/desactiver", json={}),
            ),
            Cas(
                "Claire Martin, qui détient des parcours, sans choix",
                ligne("403 403 403 403 403 ok 403 401 401 404 ok"),
                req("POST", f"{api}/ref-claire-martin/desactiver", json={}),
                ok=frozenset({409}),
                controle=lambda r: r.json()["code"] == "parcours_a_remettre",
            ),
        ],
        **{
            ("POST", f"{compte}/{action}"): [
                Cas(action, ADMIN_COMPTES_API, req("POST", f"{api}/{{cible}}/{action}"))
            ]
            for action in ("reactiver", "reinitialiser")
        },
        ("POST", f"{compte}/jetons/{{jeton_id}}/revoquer"): [
            Cas(
                "révoquer",
                ADMIN_COMPTES_API,
                req("POST", f"{api}/{{cible}}/jetons/{{jeton}}/revoquer"),
            )
        ],
        ("GET", "/administration"): [
            Cas(
                "comptes et structures",
                ADMIN_COMPTES_PAGE,
                req("GET", "/administration"),
                voit=lambda r, c: f"/administration/comptes/{c.cible}" in r.text,
            )
        ],
        ("GET", "/administration/structures/nouvelle"): [
            Cas("formulaire", STRUCTURES_PAGE, req("GET", "/administration/structures/nouvelle"))
        ],
        ("POST", "/administration/structures"): [
            Cas(
                "création",
                STRUCTURES_PAGE,
                req("POST", "/administration/structures", data=_nouvelle_structure),
                ok=frozenset({303}),
            )
        ],
        ("GET", "/administration/comptes/nouveau"): [
            Cas("formulaire", ADMIN_COMPTES_PAGE, req("GET", "/administration/comptes/nouveau"))
        ],
        ("POST", "/administration/comptes"): [
            Cas(
                "un référent de la Mission Locale",
                ADMIN_COMPTES_PAGE,
                req("POST", "/administration/comptes", data=_nouveau_referent),
                ok=frozenset({303}),
            )
        ],
        ("GET", page): [
            Cas(
                "compte de la Mission Locale",
                ADMIN_COMPTES_PAGE,
                req("GET", "/administration/comptes/{cible}"),
            )
        ],
        ("POST", f"{page}/{{action}}"): [
            Cas(
                "réactiver",
                ADMIN_COMPTES_PAGE,
                req("POST", "/administration/comptes/{cible}/reactiver", data={}),
                ok=frozenset({303}),
            ),
            Cas(
                "action inconnue",
                ligne("403 403 403 403 403 404 cnx cnx cnx 404 404"),
                req("POST", "/administration/comptes/{cible}/supprimer", data={}),
            ),
        ],
        ("POST", f"{page}/jetons/{{jeton_id}}/revoquer"): [
            Cas(
                "révoquer",
                ADMIN_COMPTES_PAGE,
                req("POST", "/administration/comptes/{cible}/jetons/{jeton}/revoquer", data={}),
                ok=frozenset({303}),
            )
        ],
        **{
            (methode, "/activation/{jeton}"): [
                Cas(
                    "lien inconnu",
                    PUBLIC_404,
                    req(methode, f"/activation/{secrets.token_urlsafe(32)}", data=corps),
                    ok=frozenset({404}),
                )
            ]
            for methode, corps in (("GET", None), ("POST", {"mot_de_passe": "x" * 12}))
        },
    }


def _q(ctx: Contexte, **autres: str) -> dict[str, str]:
    return {"q": ctx.nom, **autres}


# A list of one person who lives outside Haute-Savoie: its row is rejected, so confirming the
# import opens nothing.
_CSV_IMPORT = "Nom;Prénom;Date de naissance;CP;Commune\nHorsdu;Département;01/02/1990;69000;Lyon\n"
# --- documents ---
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
_DOCUMENT = {
    "type": "attestation",
    "nom_fichier": "attestation.pdf",
    "contenu": base64.b64encode(_PDF).decode(),
}
_IMPORT = {
    "source": "matrice",
    "nom_fichier": "liste.csv",
    "contenu": base64.b64encode(_CSV_IMPORT.encode()).decode(),
}
_PROFESSIONNELS = {  # --- pilote ---
    "nom_fichier": "professionnels.csv",
    "contenu": base64.b64encode(b"Nom;Courriel\nPro Matrice;pro.matrice@ml-matrice.fr\n").decode(),
}
_IMPORT_FORMULAIRE = dict(_IMPORT)
_CORRESPONDANCE = {
    "nom": "Nom",
    "prenom": "Prénom",
    "date_naissance": "Date de naissance",
    "code_postal": "CP",
    "commune": "Commune",
}

LIGNES: dict[tuple[str, str], list[Cas]] = {
    # Public: the same answer for everyone.
    ("GET", "/healthz"): [Cas("santé", PUBLIC, req("GET", "/healthz"))],
    ("GET", "/livez"): [Cas("vivacité", PUBLIC, req("GET", "/livez"))],
    ("GET", "/readyz"): [Cas("préparation", PUBLIC, req("GET", "/readyz"))],
    ("GET", "/openapi.json"): [Cas("schéma", PUBLIC, req("GET", "/openapi.json"))],
    ("GET", "/docs"): [Cas("documentation", PUBLIC, req("GET", "/docs"))],
    ("GET", "/static"): [
        Cas("feuille de style", PUBLIC, req("GET", "/static/app/parcours.css")),
        Cas(
            "Swagger UI de la documentation",
            PUBLIC,
            req("GET", "/static/vendor/swagger-ui/swagger-ui-bundle.js"),
        ),
    ],
    ("GET", "/connexion"): [Cas("formulaire", PUBLIC, req("GET", "/connexion"))],
    ("POST", "/connexion"): [  # without the login form's cookie: refused, whoever posts
        Cas(
            "sans jeton du formulaire",
            PUBLIC,
            req("POST", "/connexion", data={"email": "admin@spie74.fr", "mot_de_passe": "x"}),
            ok=frozenset({403}),
        )
    ],
    ("GET", "/connexion/oidc"): [  # no identity provider configured in the tests
        Cas("non activée", PUBLIC, req("GET", "/connexion/oidc"), ok=frozenset({404}))
    ],
    ("GET", "/connexion/oidc/retour"): [
        Cas("sans code", PUBLIC, req("GET", "/connexion/oidc/retour"), ok=frozenset({401}))
    ],
    ("POST", "/deconnexion"): [
        Cas("déconnexion", PUBLIC, req("POST", "/deconnexion"), ok=frozenset({303}))
    ],
    ("OPTIONS", "/codec/decode"): [
        Cas("préambule CORS", PUBLIC, req("OPTIONS", "/codec/decode"), ok=frozenset({204}))
    ],
    ("OPTIONS", "/codec/encode"): [
        Cas("préambule CORS", PUBLIC, req("OPTIONS", "/codec/encode"), ok=frozenset({204}))
    ],
    # The parcours API.
    ("POST", "/api/v1/parcours"): [
        Cas(
            "accueil sur le Bassin annécien",
            TERRITOIRE_API
            | {"referent": "ok", "autre_referent": "ok", "ancien_referent": "ok"}
            | OUVRENT,
            req("POST", "/api/v1/parcours", json=_accueil("Ouvert")),
            ok=frozenset({201}),
        ),
        Cas(
            "accueil confié à Marc Roux",
            ligne("403 ok 403 ok 403 ok 403 401 401"),
            req("POST", "/api/v1/parcours", json=_accueil("Confie", referent_id="ref-marc-roux")),
            ok=frozenset({201}),
        ),
    ],
    ("GET", "/api/v1/parcours"): [
        Cas(
            "recherche par nom",
            VOIR_API,
            req("GET", "/api/v1/parcours", params=_q),
            voit=_dans_la_liste,
        ),
        Cas(
            "filtre sur le référent Claire Martin",
            ligne("ok 403 403 ok vide ok 403 401 401 vide vide"),
            req("GET", "/api/v1/parcours", params=lambda c: _q(c, referent="ref-claire-martin")),
            voit=_dans_la_liste,
        ),
        Cas(
            "filtre sur le Bassin annécien",
            ligne("ok vide ok ok 403 ok 403 401 401"),
            req("GET", "/api/v1/parcours", params=lambda c: _q(c, territoire="bassin_annecien")),
            voit=_dans_la_liste,
        ),
        Cas(
            "filtre sur le Chablais",
            ligne("vide vide vide 403 vide vide 403 401 401"),
            req("GET", "/api/v1/parcours", params=lambda c: _q(c, territoire="chablais")),
            voit=_dans_la_liste,
        ),
    ],
    ("GET", "/api/v1/parcours/{parcours_id}"): [
        Cas("dossier", LIRE_API, req("GET", "/api/v1/parcours/{pid}"))
    ],
    ("GET", "/api/v1/parcours/{parcours_id}/contrat.pdf"): [
        Cas(
            "contrat signé",
            LIRE_API,
            req("GET", "/api/v1/parcours/{pid}/contrat.pdf"),
            controle=_pdf,
        )
    ],
    ("GET", "/api/v1/parcours/{parcours_id}/export"): [
        Cas("droit d'accès", EXPORT_DOSSIER, req("GET", "/api/v1/parcours/{pid}/export"))
    ],
    **_commandes_api(),
    # Partners.
    ("POST", "/api/v1/partners/{partner_id}/events"): [
        Cas(
            "événement signé",
            ligne("401 401 401 401 401 401 ok 401 401"),
            _evenement_partenaire("fr.caf.rsa.droits-ouverts"),
            ok=frozenset({202}),
        ),
        Cas(
            "type d'un autre partenaire",
            ligne("401 401 401 401 401 401 403 401 401"),
            _evenement_partenaire("fr.france-travail.demandeur.radie"),
        ),
        Cas(
            "lot signé",
            ligne("401 401 401 401 401 401 ok 401 401"),
            _lot_partenaire("fr.caf.rsa.droits-ouverts", "fr.caf.rsa.droits-ouverts"),
            ok=frozenset({202}),
            controle=_resultats("accepted", "accepted"),
        ),
        Cas(
            "lot avec un type d'un autre partenaire",
            ligne("401 401 401 401 401 401 ok 401 401"),
            _lot_partenaire("fr.caf.rsa.droits-ouverts", "fr.france-travail.demandeur.radie"),
            ok=frozenset({207}),
            controle=_resultats("accepted", "refused"),
        ),
    ],
    ("GET", "/api/v1/partners/a-rapprocher"): [
        Cas(
            "file",
            COORD_API,
            req("GET", "/api/v1/partners/a-rapprocher", params={"limit": 500}),
            voit=_evenement_vu,
        )
    ],
    ("POST", "/api/v1/partners/{partner_id}/events/{event_id}/rattacher"): [
        Cas(
            "rattacher au parcours clos",
            RATTACHER_API,
            req(
                "POST",
                "/api/v1/partners/caf/events/{evenement}/rattacher",
                json=lambda c: {"parcours_id": c.clos},
            ),
            ok=frozenset({409}),
            controle=_clos,
        )
    ],
    # Catalogue, audit, codec, incidents, observatoire.
    ("GET", "/api/v1/catalogue/services"): [
        Cas(
            "recherche",
            PERSONNEL_API,
            req("GET", "/api/v1/catalogue/services", params={"q": "permis"}),
        )
    ],
    ("GET", "/api/v1/catalogue/thematiques"): [
        Cas("familles", PERSONNEL_API, req("GET", "/api/v1/catalogue/thematiques"))
    ],
    ("GET", "/api/v1/audit"): [
        Cas(
            "recherche",
            ADMIN_API,
            req("GET", "/api/v1/audit", params=lambda c: {"objet": f"parcours:{c.pid}"}),
            voit=lambda r, _: r.json()["total"] > 0,
        )
    ],
    ("GET", "/administration/audit"): [
        Cas(
            "page d'audit",
            ADMIN_PAGE,
            req("GET", "/administration/audit", params=lambda c: {"objet": f"parcours:{c.pid}"}),
            controle=lambda r: (
                'id="journal-audit"' in r.text and "export.csv?objet=parcours" in r.text
            ),
        )
    ],
    ("GET", "/compte/jetons"): [Cas("mes jetons", JETONS_PAGE, req("GET", "/compte/jetons"))],
    ("POST", "/compte/jetons"): [
        Cas(
            "créer un jeton",
            JETONS_PAGE,
            req("POST", "/compte/jetons", data={"nom": "Matrice", "duree_jours": "30"}),
        )
    ],
    ("POST", "/compte/jetons/revoquer"): [
        Cas(
            "révoquer un jeton",
            JETONS_PAGE,
            req("POST", "/compte/jetons/revoquer", data={"empreinte": "0" * 64}),
        )
    ],
    ("GET", "/api/v1/audit/export.csv"): [
        Cas(
            "export",
            ADMIN_API,
            req("GET", "/api/v1/audit/export.csv", params={"action": "connexion"}),
        )
    ],
    ("GET", "/api/v1/audit/verification"): [
        Cas("chaîne", ADMIN_API, req("GET", "/api/v1/audit/verification"))
    ],
    ("POST", "/codec/decode"): [
        Cas(
            "déchiffrer",
            ADMIN_API,
            req("POST", "/codec/decode", json=lambda c: c.payload),
            controle=lambda r: (
                base64.b64decode(r.json()["payloads"][0]["data"]) == '"Zoé"'.encode()
            ),
        )
    ],
    ("POST", "/codec/encode"): [
        Cas("chiffrer", ADMIN_API, req("POST", "/codec/encode", json=lambda c: c.payload))
    ],
    ("GET", "/api/v1/incidents"): [
        Cas(
            "incidents SMS",
            VOIR_API,
            req("GET", "/api/v1/incidents", params={"partenaire": "sms", "limit": 500}),
            voit=_incident_vu,
        ),
        Cas(
            "filtre sur le Bassin annécien",
            ligne("ok vide ok ok 403 ok 403 401 401"),
            req(
                "GET",
                "/api/v1/incidents",
                params={"partenaire": "sms", "territoire": "bassin_annecien", "limit": 500},
            ),
            voit=_incident_vu,
        ),
    ],
    ("POST", "/api/v1/incidents/relance"): [  # a partner without incidents: nothing is retried
        Cas(
            "relance groupée",
            PERSONNEL_API,
            req("POST", "/api/v1/incidents/relance", json={"partenaire": "immersion"}),
        )
    ],
    ("GET", "/api/v1/moi"): [
        Cas(
            "qui suis-je",
            PERSONNEL_API,
            req("GET", "/api/v1/moi"),
            controle=lambda r: set(r.json()) == {"id", "nom", "role", "organisme", "territoire"},
        )
    ],
    ("GET", "/api/v1/referents"): [
        Cas(
            "annuaire de son périmètre",
            PERSONNEL_API | ANNUAIRE_SANS_ADMINS_DE_COMPTES,
            req("GET", "/api/v1/referents"),
            controle=lambda r: (
                bool(r.json())
                and all(set(x) == {"id", "nom", "organisme", "territoire"} for x in r.json())
            ),
        ),
        Cas(
            "annuaire du Bassin annécien",
            ligne("ok ok ok ok 403 ok 403 401 401") | ANNUAIRE_SANS_ADMINS_DE_COMPTES,
            req("GET", "/api/v1/referents", params={"territoire": "bassin_annecien"}),
            controle=lambda r: (
                "ref-claire-martin" in [x["id"] for x in r.json()]
                and {x["territoire"] for x in r.json()} == {"bassin_annecien"}
            ),
        ),
        Cas(
            "annuaire du Chablais",
            ligne("403 403 403 403 ok ok 403 401 401"),
            req("GET", "/api/v1/referents", params={"territoire": "chablais"}),
            controle=lambda r: {x["territoire"] for x in r.json()} == {"chablais"},
        ),
    ],
    ("GET", "/api/v1/organismes"): [
        Cas(
            "organismes de son périmètre",
            PERSONNEL_API | ANNUAIRE_SANS_ADMINS_DE_COMPTES,
            req("GET", "/api/v1/organismes"),
            controle=lambda r: "france_travail" in [x["organisme"] for x in r.json()],
        ),
        Cas(
            "organismes du Chablais",
            ligne("403 403 403 403 ok ok 403 401 401"),
            req("GET", "/api/v1/organismes", params={"territoire": "chablais"}),
            controle=lambda r: all(x["territoires"] == ["chablais"] for x in r.json()),
        ),
    ],
    ("GET", "/api/v1/observatoire/indicateurs"): [
        Cas(
            "indicateurs",
            COORD_API,
            req("GET", "/api/v1/observatoire/indicateurs", params={"code": "stock_phase"}),
        ),
        Cas(
            "filtre sur le Bassin annécien",
            TERRITOIRE_API,
            req(
                "GET",
                "/api/v1/observatoire/indicateurs",
                params={"code": "stock_phase", "territoire": "bassin_annecien"},
            ),
        ),
    ],
    # Cockpit: the référent's desk.
    ("GET", "/"): [
        Cas("recherche par nom", VOIR_PAGE, req("GET", "/", params=_q), voit=_dans_la_page),
        Cas(
            "filtre sur le Chablais",
            ligne("vide vide vide 403 vide vide cnx cnx cnx"),
            req("GET", "/", params=lambda c: _q(c, territoire="chablais")),
            voit=_dans_la_page,
        ),
    ],
    ("GET", "/parcours/tableau"): [
        Cas(
            "tableau",
            VOIR_PAGE,
            req("GET", "/parcours/tableau", params=_q, htmx=True),
            voit=_dans_la_page,
        )
    ],
    ("GET", "/parcours/nouveau"): [
        Cas("formulaire d'accueil", PERSONNEL_PAGE, req("GET", "/parcours/nouveau"))
    ],
    ("POST", "/parcours/nouveau"): [
        Cas(
            "accueil sur le Bassin annécien",
            TERRITOIRE_PAGE
            | {"referent": "ok", "autre_referent": "ok", "ancien_referent": "ok"}
            | OUVRENT,
            req("POST", "/parcours/nouveau", data=lambda c: formulaire(_accueil("Guichet")(c))),
            ok=frozenset({303}),
            controle=lambda r: r.headers["location"].startswith("/parcours/"),
        ),
        Cas(
            "accueil confié à Léa Dubois",
            TERRITOIRE_PAGE | OUVRENT,
            req(
                "POST",
                "/parcours/nouveau",
                data=lambda c: formulaire(_accueil("Guichet", referent_id="ref-lea-dubois")(c)),
            ),
            ok=frozenset({303}),
        ),
    ],
    ("GET", "/parcours/{parcours_id}"): [Cas("page", LIRE_PAGE, req("GET", "/parcours/{pid}"))],
    ("GET", "/parcours/{parcours_id}/fragments/{section}"): [
        Cas(section, LIRE_PAGE, req("GET", f"/parcours/{{pid}}/fragments/{section}", htmx=True))
        for section in ("situation", "dossier", "commandes", "timeline")
    ],
    ("GET", "/parcours/{parcours_id}/carnet"): [
        Cas("carnet imprimable", LIRE_PAGE, req("GET", "/parcours/{pid}/carnet"))
    ],
    ("GET", "/parcours/{parcours_id}/version"): [
        Cas(
            "a changé ?",
            VOIR_PAGE,
            req("GET", "/parcours/{pid}/version", params={"v": 0}, htmx=True),
            ok=frozenset({204}),
            voit=_version_signalee,
        )
    ],
    ("GET", "/parcours/{parcours_id}/formulaire/fermer"): [
        Cas("fermer", PERSONNEL_PAGE, req("GET", "/parcours/{pid}/formulaire/fermer", htmx=True))
    ],
    ("GET", "/parcours/{parcours_id}/commandes/{nom}"): [
        *[
            Cas(nom, attendu, req("GET", f"/parcours/{{pid}}/commandes/{nom}", htmx=True))
            for nom, attendu in FORMULAIRES_CMD.items()
        ],
        Cas(
            "commande inconnue",
            ligne("404 404 404 404 404 404 cnx cnx cnx"),
            req("GET", "/parcours/{pid}/commandes/effacer_tout", htmx=True),
        ),
    ],
    ("POST", "/parcours/{parcours_id}/commandes/{nom}"): [
        Cas(
            nom,
            attendu,
            req(
                "POST",
                f"/parcours/{{clos}}/commandes/{nom}",
                data=(lambda n: lambda c: formulaire(commandes(c.jour)[n]))(nom),
                htmx=True,
            ),
            ok=frozenset({409}),
            controle=_clos,
        )
        for nom, attendu in FORMULAIRES_CMD.items()
    ],
    # Cockpit: the coordination's watch.
    ("GET", "/coordination"): [
        Cas("veille", COORD_PAGE, req("GET", "/coordination")),
        Cas(
            "filtre sur le Bassin annécien",
            TERRITOIRE_PAGE,
            req("GET", "/coordination", params={"territoire": "bassin_annecien"}),
        ),
    ],
    ("GET", "/coordination/fragments/{section}"): [
        Cas(section, COORD_PAGE, req("GET", f"/coordination/fragments/{section}", htmx=True))
        for section in ("carte", "ruptures", "incidents", "parcours", "a_rapprocher")
    ],
    ("POST", "/coordination/incidents/relancer"): [
        Cas(
            "relance groupée",
            COORD_PAGE,
            req(
                "POST",
                "/coordination/incidents/relancer",
                data={"partenaire": "immersion"},
                htmx=True,
            ),
        )
    ],
    ("GET", "/coordination/rapprocher/recherche"): [
        Cas(
            "recherche d'un parcours",
            ligne("403 403 403 ok vide ok cnx cnx cnx"),
            req(
                "GET",
                "/coordination/rapprocher/recherche",
                params=lambda c: {"partenaire": "caf", "evenement_id": c.evenement, "q": c.nom},
                htmx=True,
            ),
            voit=lambda r, c: f'value="{c.pid}"' in r.text,
        )
    ],
    ("POST", "/coordination/rapprocher"): [
        Cas(
            "rattacher au parcours clos",
            RATTACHER_PAGE,
            req(
                "POST",
                "/coordination/rapprocher",
                data=lambda c: {
                    "partenaire": "caf",
                    "evenement_id": c.evenement,
                    "parcours_id": c.clos,
                },
                htmx=True,
            ),
            ok=frozenset({409}),
            controle=_clos,
        )
    ],
    # Cockpit: the observatoire and its exports.
    ("GET", "/observatoire"): [
        Cas("page", COORD_PAGE, req("GET", "/observatoire")),
        Cas(
            "filtre sur le Bassin annécien",
            TERRITOIRE_PAGE,
            req("GET", "/observatoire", params={"territoire": "bassin_annecien"}),
        ),
    ],
    ("GET", "/observatoire/export/evolution.csv"): [
        Cas("évolution", COORD_PAGE, req("GET", "/observatoire/export/evolution.csv")),
        Cas(
            "filtre sur le Bassin annécien",
            TERRITOIRE_PAGE,
            req(
                "GET",
                "/observatoire/export/evolution.csv",
                params={"territoire": "bassin_annecien"},
            ),
        ),
    ],
    ("GET", "/observatoire/export/{code}.csv"): [
        Cas("un tableau", COORD_PAGE, req("GET", "/observatoire/export/stock_phase.csv")),
        Cas(
            "filtre sur le Bassin annécien",
            TERRITOIRE_PAGE,
            req(
                "GET",
                "/observatoire/export/stock_phase.csv",
                params={"territoire": "bassin_annecien"},
            ),
        ),
    ],
    **{route: cas for route, cas in _administration().items()},
    # Imports of lists (issue 16): the coordination of the import's territory, the administration.
    ("POST", "/api/v1/imports"): [
        Cas("aperçu", COORD_API, req("POST", "/api/v1/imports", json=_IMPORT), ok=frozenset({201}))
    ],
    ("GET", "/api/v1/imports/{import_id}"): [
        Cas("consulter", RATTACHER_API, req("GET", "/api/v1/imports/{import_id}"))
    ],
    ("PUT", "/api/v1/imports/{import_id}/correspondance"): [
        Cas(
            "corriger",
            RATTACHER_API,
            req(
                "PUT",
                "/api/v1/imports/{import_id}/correspondance",
                json={"correspondance": _CORRESPONDANCE},
            ),
            ok=frozenset({200, 409}),  # 409 once the confirmation row has run
        )
    ],
    ("POST", "/api/v1/imports/{import_id}/confirmer"): [
        Cas(  # its only row is rejected: confirming opens nothing
            "confirmer",
            RATTACHER_API,
            req("POST", "/api/v1/imports/{import_id}/confirmer"),
            ok=frozenset({202}),
        )
    ],
    ("GET", "/api/v1/imports/{import_id}/rapport.csv"): [
        Cas("rapport", RATTACHER_API, req("GET", "/api/v1/imports/{import_id}/rapport.csv"))
    ],
    ("GET", "/imports"): [Cas("page", COORD_PAGE, req("GET", "/imports"))],
    ("POST", "/imports"): [
        Cas(
            "envoyer",
            COORD_PAGE,
            req("POST", "/imports", data=_IMPORT_FORMULAIRE),
            ok=frozenset({303}),
        )
    ],
    ("GET", "/imports/{import_id}"): [
        Cas("aperçu", RATTACHER_PAGE, req("GET", "/imports/{import_id}"))
    ],
    ("POST", "/imports/{import_id}/correspondance"): [
        Cas(
            "corriger",
            RATTACHER_PAGE,
            req("POST", "/imports/{import_id}/correspondance", data=_CORRESPONDANCE),
            ok=frozenset({303, 409}),  # 409 once the confirmation row has run
        )
    ],
    ("POST", "/imports/{import_id}/confirmer"): [
        Cas(
            "confirmer",
            RATTACHER_PAGE,
            req("POST", "/imports/{import_id}/confirmer"),
            ok=frozenset({303}),
        )
    ],
    ("GET", "/imports/{import_id}/progression"): [
        Cas(
            "avancement",
            RATTACHER_PAGE,
            req("GET", "/imports/{import_id}/progression", htmx=True),
        )
    ],
    ("GET", "/imports/{import_id}/rapport.csv"): [
        Cas("rapport", RATTACHER_PAGE, req("GET", "/imports/{import_id}/rapport.csv"))
    ],
    # --- documents (issue 17, item 3): whoever reads the dossier ---
    ("GET", "/api/v1/parcours/{parcours_id}/documents"): [
        Cas(
            "liste",
            LIRE_API,
            req("GET", "/api/v1/parcours/{pid}/documents"),
            voit=lambda r, c: c.document in [p["id"] for p in r.json()],
        )
    ],
    ("POST", "/api/v1/parcours/{parcours_id}/documents"): [
        Cas(
            "joindre un PDF",
            LIRE_API,
            req("POST", "/api/v1/parcours/{pid}/documents", json=_DOCUMENT),
            ok=frozenset({201}),
        )
    ],
    ("GET", "/api/v1/parcours/{parcours_id}/documents/{piece_id}"): [
        Cas(
            "télécharger",
            LIRE_API,
            req("GET", "/api/v1/parcours/{pid}/documents/{document}"),
            controle=_pdf,
        )
    ],
    ("GET", "/parcours/{parcours_id}/documents"): [
        Cas(
            "section",
            LIRE_PAGE,
            req("GET", "/parcours/{pid}/documents", htmx=True),
            controle=lambda r: "/documents/" in r.text,
        )
    ],
    ("POST", "/parcours/{parcours_id}/documents"): [
        Cas(
            "joindre un PDF",
            LIRE_PAGE,
            req("POST", "/parcours/{pid}/documents", data=_DOCUMENT, htmx=True),
            controle=lambda r: "est joint au dossier" in r.text,
        )
    ],
    # The person's own carnet: their link opens it; a session or a token never does.
    ("GET", "/carnet/{jeton}"): [
        Cas(
            "par le lien personnel",
            ligne("404 404 404 404 404 404 404 ok 404"),
            req("GET", "/carnet/{lien}"),
            controle=lambda r: "Mon carnet de bord" in r.text,
        )
    ],
    # --- pilote ---
    # A structure's list of professionals (issue 16): its account administrators, as for one
    # account typed by hand. The preview (not confirmed) creates nothing; the body names the row.
    ("POST", "/api/v1/structures/{structure_id}/comptes/import"): [
        Cas(
            "aperçu de la liste de la Mission Locale",
            ADMIN_COMPTES_API,
            req("POST", "/api/v1/structures/{structure}/comptes/import", json=_PROFESSIONNELS),
            controle=lambda r: r.json()["lignes"][0]["email"] == "pro.matrice@ml-matrice.fr",
        )
    ],
    # The footer's pages (DSFR, issue 22 item 13): public, read before logging in.
    ("GET", "/mentions-legales"): [
        Cas(
            "mentions",
            PUBLIC_404,
            req("GET", "/mentions-legales"),
            controle=lambda r: "Mentions légales" in r.text,
        )
    ],
    ("GET", "/donnees-personnelles"): [
        Cas(
            "données personnelles",
            PUBLIC_404,
            req("GET", "/donnees-personnelles"),
            controle=lambda r: "Responsable du traitement" in r.text,
        )
    ],
    ("GET", "/accessibilite"): [
        Cas(
            "déclaration",
            PUBLIC_404,
            req("GET", "/accessibilite"),
            controle=lambda r: "non conforme" in r.text,
        )
    ],
    # --- exploitation ---
    # Prometheus' own route: its bearer token (METRICS_TOKEN) only, never a session or an API
    # token. The platform under test has none: the route answers as if it did not exist, to
    # everyone (with a token: tests/supervision/test_metriques.py).
    ("GET", "/metrics"): [
        Cas(
            "métriques",
            ligne("404 404 404 404 404 404 404 404 404"),
            req("GET", "/metrics"),
            ok=frozenset({404}),
        )
    ],
}

# --- employeurs ---
# The directory of companies: the chargés de relation entreprise and the administration only.
# The company of the Bassin annécien below is the Contexte's; its label is the territory's.
SIRET_MATRICE = un_siret()
#               réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
EMPLOYEURS_API = ligne(
    "           403  403   403    403   403     ok    403  401    401  403   403   403  403   403    ok"
)
_ENTREPRISES = "/api/v1/entreprises"
LIGNES |= {
    ("GET", _ENTREPRISES): [Cas("annuaire", EMPLOYEURS_API, req("GET", _ENTREPRISES))],
    ("POST", _ENTREPRISES): [
        Cas(
            "ajout",
            EMPLOYEURS_API,
            req("POST", _ENTREPRISES, json=lambda _: {"siret": un_siret(), "nom": "Matrice SA"}),
            ok=frozenset({201}),
        )
    ],
    ("POST", f"{_ENTREPRISES}/depuis-les-parcours"): [
        Cas(
            "des PMSMP et embauches",
            EMPLOYEURS_API,
            req("POST", f"{_ENTREPRISES}/depuis-les-parcours"),
        )
    ],
    ("GET", f"{_ENTREPRISES}/{{siret}}"): [
        Cas("fiche", EMPLOYEURS_API, req("GET", f"{_ENTREPRISES}/{SIRET_MATRICE}"))
    ],
    ("PUT", f"{_ENTREPRISES}/{{siret}}/label"): [
        Cas(
            "label du territoire",
            EMPLOYEURS_API,
            req("PUT", f"{_ENTREPRISES}/{SIRET_MATRICE}/label", json={"inclusif": True}),
        )
    ],
    ("POST", f"{_ENTREPRISES}/{{siret}}/contacts"): [
        Cas(
            "contact",
            EMPLOYEURS_API,
            req("POST", f"{_ENTREPRISES}/{SIRET_MATRICE}/contacts", json={"nom": "M. Matrice"}),
            ok=frozenset({201}),
        )
    ],
}
# Where the chargé de relation entreprise does not get what a référent without the dossier gets:
# they open no parcours, may filter the search on a référent (and find nothing: no dossier),
# and the directory of référents and organismes is not theirs (as for the account admins).
_CRE_AUTREMENT = {
    ("POST", "/api/v1/parcours"): "403",
    ("GET", "/api/v1/referents"): "403",
    ("GET", "/api/v1/organismes"): "403",
}
for _route, _cellule_cre in _CRE_AUTREMENT.items():
    LIGNES[_route] = [
        replace(c, attendu=c.attendu | {"charge_entreprise": _cellule_cre}) for c in LIGNES[_route]
    ]
LIGNES[("GET", "/api/v1/parcours")] = [
    replace(c, attendu=c.attendu | {"charge_entreprise": "vide"})
    if c.libelle == "filtre sur le référent Claire Martin"
    else c
    for c in LIGNES[("GET", "/api/v1/parcours")]
]

_OFFRES = "/api/v1/offres"
_OFFRE_MATRICE: dict[str, str] = {}  # its id, once the Contexte has made it


def _offre(methode: str, suite: str = "", json: Any = None) -> Construire:
    def construire(_: Contexte, __: str) -> Requete:
        return Requete(methode, f"{_OFFRES}/{_OFFRE_MATRICE['id']}{suite}", json=json)

    return construire


def _saisie_offre(_: Contexte) -> dict[str, Any]:
    return {
        "siret": SIRET_MATRICE,
        "intitule": "Agent d'entretien",
        "code_rome": "K2204",
        "code_postal": "74000",
        "commune": "Annecy",
        "type_contrat": "cdd",
    }


LIGNES |= {
    ("GET", _OFFRES): [Cas("offres", EMPLOYEURS_API, req("GET", _OFFRES))],
    ("POST", _OFFRES): [
        Cas("saisie", EMPLOYEURS_API, req("POST", _OFFRES, json=_saisie_offre), ok=frozenset({201}))
    ],
    ("GET", f"{_OFFRES}/{{offre_id}}"): [Cas("une offre", EMPLOYEURS_API, _offre("GET"))],
    ("PUT", f"{_OFFRES}/{{offre_id}}/statut"): [
        Cas("suspendue", EMPLOYEURS_API, _offre("PUT", "/statut", {"statut": "suspendue"}))
    ],
}
# The pool: the référent of the parcours writes the person's fiche (the administration too);
# everyone else gets the answer about a parcours that does not exist.
#           réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
VIVIER_API = ligne(
    "       ok   404   404    404   404     ok    403  401    401  404   404   404  404   404    404"
)
_FICHE_VIVIER = {"pret": True, "consentement": True, "projets": ["N1103"], "creneaux": ["matin"]}
LIGNES |= {
    ("PUT", "/api/v1/parcours/{parcours_id}/vivier"): [
        Cas("fiche", VIVIER_API, req("PUT", "/api/v1/parcours/{pid}/vivier", json=_FICHE_VIVIER))
    ],
    ("GET", f"{_OFFRES}/{{offre_id}}/rapprochement"): [
        Cas("personnes proposables", EMPLOYEURS_API, _offre("GET", "/rapprochement"))
    ],
}


def _proposition(_: Contexte, __: str) -> Requete:
    url = f"/api/v1/propositions/{_OFFRE_MATRICE['proposition']}"
    return Requete("PUT", url, json={"statut": "entretien"})


def _hors_vivier(r: httpx.Response) -> bool:
    """Allowed, then refused because the person is not in the pool for this offer."""
    return bool(r.json()["erreurs"][0]["champ"] == "parcours_id")


LIGNES |= {
    ("POST", f"{_OFFRES}/{{offre_id}}/propositions"): [
        Cas(
            "à une personne hors du vivier de l'offre",
            EMPLOYEURS_API,
            _offre("POST", "/propositions", {"parcours_id": "hors-vivier"}),
            ok=frozenset({422}),
            controle=_hors_vivier,
        )
    ],
    ("GET", "/api/v1/parcours/{parcours_id}/propositions"): [
        Cas("offres proposées", VIVIER_API, req("GET", "/api/v1/parcours/{pid}/propositions"))
    ],
    ("PUT", "/api/v1/propositions/{proposition_id}"): [Cas("entretien", VIVIER_API, _proposition)],
}


async def _charge_entreprise(plateforme: Plateforme, pid: str) -> dict[str, str]:
    """The Bassin annécien's chargé de relation entreprise, its token by its COMPTES name, and
    the company of the matrix (created by the administration)."""
    async with plateforme.client("admin") as admin:
        r = await admin.post(
            "/api/v1/comptes",
            json={
                "email": f"cre.{secrets.token_hex(3)}@spie74.fr",
                "nom": "Chargé entreprises Matrice",
                "role": "charge_entreprise",
                "territoire": "bassin_annecien",
            },
        )
        assert r.status_code == 201, r.text
        compte_id = r.json()["id"]
        entreprise = {"siret": SIRET_MATRICE, "nom": "Matrice", "code_postal": "74000"}
        r = await admin.post("/api/v1/entreprises", json=entreprise | {"commune": "Annecy"})
        assert r.status_code == 201, r.text
        r = await admin.post(_OFFRES, json=_saisie_offre(cast(Contexte, None)))
        assert r.status_code == 201, r.text
        _OFFRE_MATRICE["id"] = r.json()["id"]
        async with plateforme.client("ref-claire-martin") as claire:
            fiche = _FICHE_VIVIER | {"projets": ["K2204"]}
            r = await claire.put(f"/api/v1/parcours/{pid}/vivier", json=fiche)
            assert r.status_code == 200, r.text
        r = await admin.post(
            f"{_OFFRES}/{_OFFRE_MATRICE['id']}/propositions", json={"parcours_id": pid}
        )
        assert r.status_code == 201, r.text
        _OFFRE_MATRICE["proposition"] = r.json()["id"]
        await _evenement_et_clause(admin, pid)  # --- événements et clauses ---
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            compte = await session.get(Compte, compte_id)
            assert compte is not None
            jeton = await creer_jeton(session, compte, "matrice des droits")
    finally:
        await engine.dispose()
    return {COMPTES["charge_entreprise"]: jeton}


# --- pages employeurs ---
# The cockpit's pages of the directory and the offers (issue 24): as their API, with the login
# page for whoever has no account; the matching, like its API, for the offer's territory. The
# référent's page « Vers l'emploi »: as the pool's API (the answer about a parcours that does
# not exist for everyone else). Writes answer 303 to the page they change.
#               réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
EMPLOYEURS_PAGE = ligne(
    "           403  403   403    403   403     ok    cnx  cnx    cnx  403   403   403  403   403    ok"
)
VIVIER_PAGE = ligne(
    "           ok   404   404    404   404     ok    cnx  cnx    cnx  404   404   404  404   404    404"
)
_VU = frozenset({303})


def _page_offre(methode: str, suite: str = "", data: Any = None) -> Construire:
    def construire(_: Contexte, __: str) -> Requete:
        return Requete(methode, f"/offres/{_OFFRE_MATRICE['id']}{suite}", data=data)

    return construire


# --- événements et clauses ---
# Job datings and social clauses (issue 24, items 5 and 6): read by the professionals who
# accompany and the chargés de relation entreprise; created by the chargé of the territory (and
# the administration); a référent invites or places the people they accompany and notes
# presence or hours; the chargé of the territory sees the people invited or placed, the
# référent only their own. The event and the contract are the Bassin annécien's; the dossier
# is invited to the one and placed on the other.
_EVENEMENTS, _CLAUSES = "/api/v1/evenements-employeurs", "/api/v1/clauses-sociales"
_EV_MATRICE: dict[str, str] = {}  # ids of the event, the invitation, the contract, the placement
#                réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
EMPLOYEURS_LIRE = ligne(
    "            ok   ok    ok     ok    ok      ok    403  401    401  403   403   ok   ok    ok     ok"
)
EMPLOYEURS_PERSONNES = ligne(
    "            ok   vide  vide   vide  vide    ok    403  401    401  403   403   vide vide  vide   ok"
)
EMPLOYEURS_POUR_LES_SIENS = ligne(
    "            ok   404   404    404   404     ok    403  401    401  403   403   404  404   404    404"
)
EMPLOYEURS_HEURES = ligne(
    "            ok   404   404    404   404     ok    403  401    401  403   403   404  404   404    ok"
)


def _saisie_evenement(_: Contexte) -> dict[str, Any]:
    return {
        "nature": "job_dating",
        "titre": "Job dating Matrice",
        "le": date.today().isoformat(),
        "code_postal": "74000",
        "commune": "Annecy",
        "entreprises": [SIRET_MATRICE],
    }


def _saisie_clause(_: Contexte) -> dict[str, Any]:
    return {
        "intitule": "Marché Matrice",
        "acheteur": "Commune d'Annecy",
        "siret": SIRET_MATRICE,
        "code_postal": "74000",
        "commune": "Annecy",
        "heures_exigees": 100,
        "debut": (date.today() - timedelta(days=10)).isoformat(),
        "fin": (date.today() + timedelta(days=100)).isoformat(),
    }


async def _evenement_et_clause(admin: httpx.AsyncClient, pid: str) -> None:
    r = await admin.post(_EVENEMENTS, json=_saisie_evenement(cast(Contexte, None)))
    assert r.status_code == 201, r.text
    _EV_MATRICE["evenement"] = r.json()["id"]
    r = await admin.post(_CLAUSES, json=_saisie_clause(cast(Contexte, None)))
    assert r.status_code == 201, r.text
    _EV_MATRICE["clause"] = r.json()["id"]
    corps = {"parcours_id": pid}
    r = await admin.post(f"{_EVENEMENTS}/{_EV_MATRICE['evenement']}/invitations", json=corps)
    assert r.status_code == 201, r.text
    _EV_MATRICE["invitation"] = r.json()["id"]
    corps |= {"debut": date.today().isoformat()}
    r = await admin.post(f"{_CLAUSES}/{_EV_MATRICE['clause']}/placements", json=corps)
    assert r.status_code == 201, r.text
    _EV_MATRICE["placement"] = r.json()["id"]


def _chez(base: str, cle: str, methode: str, suite: str = "", json: Valeur = None) -> Construire:
    def construire(ctx: Contexte, __: str) -> Requete:
        url = f"{base}/{_EV_MATRICE[cle]}{suite.format(**_EV_MATRICE)}"
        return Requete(methode, url, json=_v(json, ctx))

    return construire


def _page_proposition(_: Contexte, __: str) -> Requete:
    url = f"/propositions/{_OFFRE_MATRICE['proposition']}"
    return Requete("POST", url, data={"statut": "entretien"})


_ENTREPRISE_PAGE = f"/entreprises/{SIRET_MATRICE}"
_FICHE_VIVIER_PAGE = {"pret": "oui", "consentement": "oui", "projets": ["K2204"]}
LIGNES |= {
    ("GET", "/entreprises"): [Cas("annuaire", EMPLOYEURS_PAGE, req("GET", "/entreprises"))],
    ("GET", "/entreprises/nouvelle"): [
        Cas("formulaire", EMPLOYEURS_PAGE, req("GET", "/entreprises/nouvelle"))
    ],
    ("POST", "/entreprises"): [
        Cas(
            "ajout",
            EMPLOYEURS_PAGE,
            req("POST", "/entreprises", data=lambda _: {"siret": un_siret(), "nom": "Matrice"}),
            ok=_VU,
        )
    ],
    ("GET", "/entreprises/{siret}"): [
        Cas(
            "fiche",
            EMPLOYEURS_PAGE,
            req("GET", _ENTREPRISE_PAGE),
            controle=lambda r: SIRET_MATRICE in r.text,
        )
    ],
    ("POST", "/entreprises/{siret}/label"): [
        Cas(
            "label du territoire",
            EMPLOYEURS_PAGE,
            req("POST", f"{_ENTREPRISE_PAGE}/label", data={"inclusif": "oui"}),
            ok=_VU,
        )
    ],
    ("POST", "/entreprises/{siret}/contacts"): [
        Cas(
            "contact",
            EMPLOYEURS_PAGE,
            req("POST", f"{_ENTREPRISE_PAGE}/contacts", data={"nom": "M. Matrice"}),
            ok=_VU,
        )
    ],
    ("GET", "/offres"): [Cas("offres", EMPLOYEURS_PAGE, req("GET", "/offres"))],
    ("GET", "/offres/nouvelle"): [
        Cas("formulaire", EMPLOYEURS_PAGE, req("GET", "/offres/nouvelle"))
    ],
    ("GET", "/offres/metiers"): [
        Cas(
            "métiers du ROME",
            EMPLOYEURS_PAGE,
            req("GET", "/offres/metiers", params={"metier": "agent entretien"}),
        )
    ],
    ("POST", "/offres"): [
        Cas("saisie", EMPLOYEURS_PAGE, req("POST", "/offres", data=_saisie_offre), ok=_VU)
    ],
    ("GET", "/offres/{offre_id}"): [Cas("une offre", EMPLOYEURS_PAGE, _page_offre("GET"))],
    ("POST", "/offres/{offre_id}/statut"): [
        Cas(
            "suspendue",
            EMPLOYEURS_PAGE,
            _page_offre("POST", "/statut", {"statut": "suspendue"}),
            ok=_VU,
        )
    ],
    ("GET", "/offres/{offre_id}/rapprochement"): [
        Cas(
            "personnes proposables",
            EMPLOYEURS_PAGE,
            _page_offre("GET", "/rapprochement"),
            controle=lambda r: "À qui proposer" in r.text,
        )
    ],
    ("POST", "/offres/{offre_id}/propositions"): [
        Cas(
            "à une personne hors du vivier de l'offre",
            EMPLOYEURS_PAGE,
            _page_offre("POST", "/propositions", {"parcours_id": "hors-vivier"}),
            ok=frozenset({422}),
            controle=lambda r: "pas dans le vivier pour cette offre" in r.text,
        )
    ],
    ("GET", "/parcours/{parcours_id}/emploi"): [
        Cas("vers l'emploi", VIVIER_PAGE, req("GET", "/parcours/{pid}/emploi"))
    ],
    ("POST", "/parcours/{parcours_id}/vivier"): [
        Cas(
            "fiche du vivier",
            VIVIER_PAGE,
            req("POST", "/parcours/{pid}/vivier", data=_FICHE_VIVIER_PAGE),
            ok=_VU,
        )
    ],
    ("POST", "/propositions/{proposition_id}"): [
        Cas("entretien", VIVIER_PAGE, _page_proposition, ok=_VU)
    ],
}


def _invitee_vue(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.pid in [i["parcours_id"] for i in r.json()["invites"]]


def _placee_vue(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.pid in [p["parcours_id"] for p in r.json()["placements"]]


def _jumeau_clos(r: httpx.Response) -> bool:
    """Allowed, then refused because the closed twin's person is no longer accompanied (or,
    for the chargé, because they are not in the pool)."""
    corps = r.json()
    return bool(corps["code"] == "parcours_clos" or corps["erreurs"][0]["champ"] == "parcours_id")


LIGNES |= {
    ("GET", _EVENEMENTS): [Cas("événements", EMPLOYEURS_LIRE, req("GET", _EVENEMENTS))],
    ("POST", _EVENEMENTS): [
        Cas(
            "création",
            EMPLOYEURS_API,
            req("POST", _EVENEMENTS, json=_saisie_evenement),
            ok=frozenset({201}),
        )
    ],
    ("GET", f"{_EVENEMENTS}/{{evenement_id}}"): [
        Cas(
            "un événement et ses invités",
            EMPLOYEURS_PERSONNES,
            _chez(_EVENEMENTS, "evenement", "GET"),
            voit=_invitee_vue,
        )
    ],
    ("PUT", f"{_EVENEMENTS}/{{evenement_id}}"): [
        Cas(
            "modification",
            EMPLOYEURS_API,
            _chez(_EVENEMENTS, "evenement", "PUT", json=_saisie_evenement),
        )
    ],
    ("POST", f"{_EVENEMENTS}/{{evenement_id}}/invitations"): [
        Cas(
            "inviter le jumeau clos",
            EMPLOYEURS_POUR_LES_SIENS,
            _chez(
                _EVENEMENTS, "evenement", "POST", "/invitations", lambda c: {"parcours_id": c.clos}
            ),
            ok=frozenset({409}),
            controle=_jumeau_clos,
        )
    ],
    ("PUT", f"{_EVENEMENTS}/{{evenement_id}}/invitations/{{invitation_id}}"): [
        Cas(
            "présence",
            EMPLOYEURS_POUR_LES_SIENS,
            _chez(
                _EVENEMENTS,
                "evenement",
                "PUT",
                "/invitations/{invitation}",
                {"presence": "presente", "suite": "entretien"},
            ),
        )
    ],
    ("GET", _CLAUSES): [Cas("marchés", EMPLOYEURS_LIRE, req("GET", _CLAUSES))],
    ("POST", _CLAUSES): [
        Cas(
            "création",
            EMPLOYEURS_API,
            req("POST", _CLAUSES, json=_saisie_clause),
            ok=frozenset({201}),
        )
    ],
    ("GET", f"{_CLAUSES}/{{clause_id}}"): [
        Cas(
            "un marché, son bilan et ses placements",
            EMPLOYEURS_PERSONNES,
            _chez(_CLAUSES, "clause", "GET"),
            voit=_placee_vue,
        )
    ],
    ("POST", f"{_CLAUSES}/{{clause_id}}/placements"): [
        Cas(
            "placer le jumeau clos",
            EMPLOYEURS_POUR_LES_SIENS | {"charge_entreprise": "ok"},
            _chez(
                _CLAUSES,
                "clause",
                "POST",
                "/placements",
                lambda c: {"parcours_id": c.clos, "debut": date.today().isoformat()},
            ),
            ok=frozenset({409, 422}),
            controle=_jumeau_clos,
        )
    ],
    ("PUT", f"{_CLAUSES}/{{clause_id}}/placements/{{placement_id}}"): [
        Cas(
            "heures réalisées",
            EMPLOYEURS_HEURES,
            _chez(_CLAUSES, "clause", "PUT", "/placements/{placement}", {"heures_realisees": 12}),
        )
    ],
}

# --- équipe de suivi (issue 17) ---
# Karim Benali is in the team of the dossier and of its closed twin and wrote a note on the
# dossier; Isabelle Fournier was in both teams and left; Julien Morel asked to join the
# dossier's team and was refused, and asked to join the twin's (still pending). Writing on
# the closed twin is refused for being closed, after every check, so these rows change nothing.
#                              réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
EQUIPE_ECRIRE = ligne(
    "        ok   404   403    403   404     403   403  401    401  404   404   ok   404   404"
)
EQUIPE_REFERENT = ligne(
    "      ok   404   403    403   404     403   403  401    401  404   404   403  404   404"
)
SE_RATTACHER = ligne(
    "         ok   ok    ok     403   403     403   403  401    401  403   403   ok   ok    ok    403"
)
# A référent who is a member elsewhere opens parcours like any référent (rows written before).
OUVRENT_AUSSI = {"membre": "ok", "ancien_membre": "ok", "refuse": "ok"}


def _note_vue(r: httpx.Response, ctx: Contexte) -> bool:
    return ctx.note in [n["id"] for n in r.json()]


def _membre_vu(r: httpx.Response, _: Contexte) -> bool:
    return [m["compte_id"] for m in r.json()["membres"]] == [COMPTES["membre"]]


def _personne_inconnue(_: Contexte) -> dict[str, str]:
    nom = "Inconnue" + secrets.token_hex(4)
    return {"nom": nom, "prenom": "Eve", "date_naissance": "1990-01-01", "role": "tuteur"}


def _equipe() -> dict[tuple[str, str], list[Cas]]:
    pid, notes = "/api/v1/parcours/{parcours_id}", "/api/v1/parcours/{parcours_id}/notes"
    demande = f"{pid}/rattachements/{{demande_id}}"
    note = {"texte": "Note de la matrice"}
    return {
        ("GET", f"{pid}/equipe"): [
            Cas("équipe", LIRE_API, req("GET", "/api/v1/parcours/{pid}/equipe"), voit=_membre_vu)
        ],
        ("GET", notes): [
            Cas("notes", LIRE_API, req("GET", "/api/v1/parcours/{pid}/notes"), voit=_note_vue)
        ],
        ("POST", notes): [
            Cas(
                "note sur le parcours clos",
                EQUIPE_ECRIRE,
                req("POST", "/api/v1/parcours/{clos}/notes", json=note),
                ok=frozenset({409}),
                controle=_clos,
            )
        ],
        ("PATCH", f"{notes}/{{note_id}}"): [
            Cas(
                "correction sur le parcours clos",
                EQUIPE_ECRIRE,
                req("PATCH", "/api/v1/parcours/{clos}/notes/{note}", json=note),
                ok=frozenset({409}),
                controle=_clos,
            )
        ],
        ("POST", f"{notes}/{{note_id}}/amendements"): [
            Cas(
                "amendement sur le parcours clos",
                EQUIPE_ECRIRE,
                req("POST", "/api/v1/parcours/{clos}/notes/{note}/amendements", json=note),
                ok=frozenset({409}),
                controle=_clos,
            )
        ],
        ("POST", "/api/v1/rattachements"): [
            Cas(
                "demande sur une personne inconnue",
                SE_RATTACHER,
                req("POST", "/api/v1/rattachements", json=_personne_inconnue),
                ok=frozenset({202}),
            )
        ],
        ("GET", f"{pid}/rattachements"): [
            Cas(
                "demandes en attente",
                EQUIPE_REFERENT,
                req("GET", "/api/v1/parcours/{clos}/rattachements"),
                voit=lambda r, c: c.demande in [d["id"] for d in r.json()],
            )
        ],
        **{
            ("POST", f"{demande}/{decision}"): [
                Cas(
                    f"{decision} sur le parcours clos",
                    EQUIPE_REFERENT,
                    req("POST", f"/api/v1/parcours/{{clos}}/rattachements/{{demande}}/{decision}"),
                    ok=frozenset({409}),
                    controle=_clos,
                )
            ]
            for decision in ("accepter", "refuser")
        },
        **{
            ("POST", f"{pid}/{nom}"): [
                Cas(
                    nom,
                    CMD_REFERENT,
                    req("POST", f"/api/v1/parcours/{{clos}}/{nom}", json=corps),
                    ok=frozenset({409}),
                    controle=_clos,
                )
            ]
            for nom, corps in (
                ("ajouter-membre", {"compte_id": "ref-marc-roux", "role": "tuteur"}),
                ("retirer-membre", {"compte_id": COMPTES["membre"]}),
            )
        },
    }


EQUIPE_ECRIRE_PAGE = ligne(
    "   ok   404   403    403   404     403   cnx  cnx    cnx  404   404   ok   404   404"
)
EQUIPE_REFERENT_PAGE = ligne(
    " ok   404   403    403   404     403   cnx  cnx    cnx  404   404   403  404   404"
)
SE_RATTACHER_PAGE = ligne(
    "    ok   ok    ok     403   403     403   cnx  cnx    cnx  403   403   ok   ok    ok    403"
)


def _equipe_cockpit() -> dict[tuple[str, str], list[Cas]]:
    notes = "/parcours/{parcours_id}/notes"
    return {
        ("GET", notes): [
            Cas(
                "chercher",
                LIRE_PAGE,
                req("GET", "/parcours/{pid}/notes", params={"q": "atelier"}, htmx=True),
                voit=lambda r, c: f"note-{c.note}" in r.text,
            )
        ],
        ("POST", notes): [
            Cas(
                "note sur le parcours clos",
                EQUIPE_ECRIRE_PAGE,
                req("POST", "/parcours/{clos}/notes", data={"texte": "Note"}, htmx=True),
                ok=frozenset({409}),
                controle=_clos,
            )
        ],
        ("POST", "/parcours/{parcours_id}/rattachements/{demande_id}/{decision}"): [
            Cas(
                f"{decision} sur le parcours clos",
                EQUIPE_REFERENT_PAGE,
                req("POST", f"/parcours/{{clos}}/rattachements/{{demande}}/{decision}", htmx=True),
                ok=frozenset({409}),
                controle=_clos,
            )
            for decision in ("accepter", "refuser")
        ],
        ("GET", "/rattachement"): [Cas("formulaire", PERSONNEL_PAGE, req("GET", "/rattachement"))],
        ("POST", "/rattachement"): [
            Cas(
                "demande sur une personne inconnue",
                SE_RATTACHER_PAGE,
                req("POST", "/rattachement", data=_personne_inconnue),
                controle=lambda r: "Demande enregistrée" in r.text,
            )
        ],
    }


LIGNES.update(_equipe())
LIGNES.update(_equipe_cockpit())
LIGNES[("GET", "/parcours/{parcours_id}/fragments/{section}")] += [
    Cas(section, LIRE_PAGE, req("GET", f"/parcours/{{pid}}/fragments/{section}", htmx=True))
    for section in ("equipe", "notes")
]
for _route in (("POST", "/api/v1/parcours"), ("POST", "/parcours/nouveau")):
    _cas = LIGNES[_route][0]
    LIGNES[_route][0] = replace(_cas, attendu=_cas.attendu | OUVRENT_AUSSI)
# « accueil confié à Marc Roux »: the cell of « autre_referent » is Marc's own; another référent
# may not open a parcours in someone else's name.
_cas = LIGNES[("POST", "/api/v1/parcours")][1]
LIGNES[("POST", "/api/v1/parcours")][1] = replace(
    _cas, attendu=_cas.attendu | {"ancien_membre": "403", "refuse": "403"}
)


async def _equipe_de_suivi(
    plateforme: Plateforme, claire: httpx.AsyncClient, pid: str, clos: str, accueil: Any
) -> tuple[str, str]:
    """The teams of the dossier and of its twin (before the twin closes): (a note, a pending
    request to join the twin)."""
    for parcours_id in (pid, clos):
        for compte, role in (
            (COMPTES["membre"], "conseiller_france_travail"),
            (COMPTES["ancien_membre"], "autre"),
        ):
            r = await claire.post(
                f"/api/v1/parcours/{parcours_id}/ajouter-membre",
                json={"compte_id": compte, "role": role},
            )
            assert r.status_code == 200, r.text
        r = await claire.post(
            f"/api/v1/parcours/{parcours_id}/retirer-membre",
            json={"compte_id": COMPTES["ancien_membre"], "motif": "Fin de l'atelier"},
        )
        assert r.status_code == 200, r.text
    twin = (await claire.get(f"/api/v1/parcours/{clos}")).json()["etat"]["usager"]
    projete = select(ParcoursRow.id).where(col(ParcoursRow.id) == clos)
    await _attendre(lambda: _lu(plateforme, projete), "projection du jumeau")  # searched there
    u = accueil.usager
    async with (
        plateforme.client(COMPTES["refuse"]) as julien,
        plateforme.client(COMPTES["membre"]) as karim,
    ):
        for nom, prenom, naissance in (
            (u.nom, u.prenom, u.date_naissance.isoformat()),
            (twin["nom"], twin["prenom"], twin["date_naissance"]),
        ):
            corps = {"nom": nom, "prenom": prenom, "date_naissance": naissance, "role": "cip_siae"}
            r = await julien.post("/api/v1/rattachements", json=corps)
            assert r.status_code == 202, r.text
        note = await karim.post(f"/api/v1/parcours/{pid}/notes", json={"texte": "Vu en atelier"})
        assert note.status_code == 201, note.text
    (refusee,) = (await claire.get(f"/api/v1/parcours/{pid}/rattachements")).json()
    r = await claire.post(f"/api/v1/parcours/{pid}/rattachements/{refusee['id']}/refuser")
    assert r.status_code == 204, r.text
    (en_attente,) = (await claire.get(f"/api/v1/parcours/{clos}/rattachements")).json()
    return note.json()["id"], en_attente["id"]


# --- notifications et messages à la personne ---
# One's own notifications: every account has a centre; Claire's notification about the dossier
# is hers alone (404 for anyone else, word for word the answer for one that does not exist).
NOTIFICATION_DE_CLAIRE = ligne("ok 404 404 404 404 404 cnx cnx cnx")
MES_NOTIFICATIONS = ligne("ok vide vide vide vide vide cnx cnx cnx")
PREFERENCES_PAR_DEFAUT = {
    "application": [s.code for s in SORTES.values() if s.dans_application],
    "courriel": [s.code for s in SORTES.values() if s.recapitulatif],
}


def _notification_vue(r: httpx.Response, ctx: Contexte) -> bool:
    return f"Notification de la matrice {ctx.pid}" in r.text


LIGNES |= {
    ("GET", "/notifications"): [
        Cas(
            "mes notifications",
            MES_NOTIFICATIONS,
            req("GET", "/notifications"),
            voit=_notification_vue,
        )
    ],
    ("GET", "/notifications/compteur"): [
        Cas(
            "compteur de l'en-tête",
            PERSONNEL_PAGE,
            req("GET", "/notifications/compteur", params={"n": 3}, htmx=True),
            controle=lambda r: 'href="/notifications"' in r.text,
        )
    ],
    ("POST", "/notifications/{notification_id}/ouvrir"): [
        Cas(
            "ouvrir celle de Claire",
            NOTIFICATION_DE_CLAIRE,
            req("POST", "/notifications/{notification}/ouvrir"),
            ok=frozenset({303}),
            controle=lambda r: r.headers["location"].startswith("/parcours/"),
        )
    ],
    ("POST", "/notifications/{notification_id}/lue"): [
        Cas(
            "marquer lue celle de Claire",
            NOTIFICATION_DE_CLAIRE,
            req("POST", "/notifications/{notification}/lue", htmx=True),
            # the answer is Claire's list, unread first: with 50 unread ones before it (a long
            # run gives her that many), the one just read is rightly no longer on it
            voit=lambda r, _: 'id="liste-notifications"' in r.text,
        )
    ],
    ("POST", "/notifications/tout-lire"): [
        Cas(
            "tout marquer lu",
            MES_NOTIFICATIONS,
            req("POST", "/notifications/tout-lire", htmx=True),
            voit=_notification_vue,
        )
    ],
    ("GET", "/notifications/preferences"): [
        Cas("préférences", PERSONNEL_PAGE, req("GET", "/notifications/preferences"))
    ],
    ("POST", "/notifications/preferences"): [
        Cas(
            "préférences par défaut",
            PERSONNEL_PAGE,
            req("POST", "/notifications/preferences", data=PREFERENCES_PAR_DEFAUT),
            controle=lambda r: "Préférences enregistrées" in r.text,
        )
    ],
    # The message's preview shows the dossier filled in: the référent's, like the command.
    ("POST", "/parcours/{parcours_id}/message/apercu"): [
        Cas(
            "aperçu d'un SMS",
            CMD_PAGE_REFERENT,
            req(
                "POST",
                "/parcours/{pid}/message/apercu",
                data={"canal": "sms", "texte": "Bonjour {prenom}"},
                htmx=True,
            ),
            controle=lambda r: 'id="compte-sms"' in r.text,
        )
    ],
}


async def _notification_de_claire(plateforme: Plateforme, pid: str) -> int:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            await notifier(
                session,
                cle=f"matrice:{pid}",
                compte_id=COMPTES["referent"],
                sorte="transfert_a_accuser",
                titre="Transfert d'un parcours",
                texte=f"Notification de la matrice {pid}",
                parcours_id=pid,
            )
            n = (
                await session.exec(select(Notification).where(Notification.cle == f"matrice:{pid}"))
            ).one()
            assert n.id is not None
            return n.id
    finally:
        await engine.dispose()


# --- agendas et rendez-vous ---
# A référent's own agenda (issue 18): every référent reads and writes their own, no one else
# has one. Each cell is written: the account administrators are not référents.
#                       réf  autre ancien coord c.autre admin part usager anon a.str a.ter
# A chargé de relation entreprise is no référent: no agenda either.
AGENDA_API = ligne("    ok   ok    ok     403   403     403   403  401    401  403   403") | {
    "charge_entreprise": "403"
}


def _lieu_unique(_: Contexte) -> dict[str, str]:
    return {
        "nom": f"Lieu {secrets.token_hex(4)}",
        "adresse": "1 rue de la Matrice",
        "code_postal": "74000",
        "commune": "Annecy",
    }


def _plage_unique(_: Contexte) -> dict[str, Any]:
    # A Saturday years ahead, its own: never overlaps another test's plage.
    jour = date(2031, 1, 4) + timedelta(weeks=secrets.randbelow(2000))
    return {
        "jour": "5",
        "debut": "08:00",
        "fin": "08:30",
        "modalite": "telephone",
        "motifs": ["accompagnement"],
        "du": jour.isoformat(),
        "au": jour.isoformat(),
    }


def _agenda() -> dict[tuple[str, str], list[Cas]]:
    racine = "/api/v1/agenda"
    liste = frozenset({200})
    return {
        ("GET", f"{racine}/lieux"): [Cas("lieux", AGENDA_API, req("GET", f"{racine}/lieux"))],
        ("POST", f"{racine}/lieux"): [
            Cas(
                "ajouter un lieu",
                AGENDA_API,
                req("POST", f"{racine}/lieux", json=_lieu_unique),
                ok=frozenset({201}),
            )
        ],
        ("GET", f"{racine}/plages"): [
            Cas("plages", AGENDA_API, req("GET", f"{racine}/plages"), ok=liste)
        ],
        ("POST", f"{racine}/plages"): [
            Cas(
                "ouvrir une plage",
                AGENDA_API,
                req("POST", f"{racine}/plages", json=_plage_unique),
                ok=frozenset({201}),
            )
        ],
        ("DELETE", f"{racine}/plages/{{plage_id}}"): [
            Cas(  # allowed, then not found: no one reaches another's plage (tests/agendas)
                "retirer une plage inconnue",
                AGENDA_API,
                req("DELETE", f"{racine}/plages/plage-inconnue"),
                ok=frozenset({404}),
            )
        ],
        ("GET", f"{racine}/absences"): [
            Cas("absences", AGENDA_API, req("GET", f"{racine}/absences"))
        ],
        ("POST", f"{racine}/absences"): [
            Cas(
                "déclarer une absence",
                AGENDA_API,
                req(
                    "POST",
                    f"{racine}/absences",
                    json={"du": "2031-01-01", "au": "2031-01-02", "motif": "Congés"},
                ),
                ok=frozenset({201}),
            )
        ],
        ("GET", f"{racine}/creneaux"): [
            Cas(
                "créneaux libres",
                AGENDA_API,
                req("GET", f"{racine}/creneaux", params={"motif": "accompagnement"}),
            )
        ],
    }


# The booking page of an invitation: its link is the only key. The person's carnet link is
# not one, nor any credential: every cell is the same 404 as for a link that never existed.
RESERVATION_PAR_LIEN = ligne("404 404 404 404 404 404 404 404 404 404 404")


def _reservation() -> dict[tuple[str, str], list[Cas]]:
    choix = {"plage_id": "plage-inconnue", "debut": "2031-01-04T08:00:00+00:00"}
    return {
        ("GET", "/rdv/{jeton}"): [
            Cas("page de réservation", RESERVATION_PAR_LIEN, req("GET", "/rdv/{lien}"))
        ],
        ("POST", "/rdv/{jeton}"): [
            Cas("réserver", RESERVATION_PAR_LIEN, req("POST", "/rdv/{lien}", data=choix))
        ],
    }


LIGNES.update(_agenda())
LIGNES.update(_reservation())

# --- agenda18 : rendez-vous déplacé ou annulé par la personne ---
# Cancelling is given by the link too: nobody else, whatever their credentials.
LIGNES[("POST", "/rdv/{jeton}/annuler")] = [
    Cas("annuler son rendez-vous", RESERVATION_PAR_LIEN, req("POST", "/rdv/{lien}/annuler"))
]
# Convocation: the référent of the parcours, on their own agenda. The command's own route is
# tried on the closed parcours (refused, nothing written); the agenda's route on a parcours
# that does not exist (every référent is then told 404, the others cannot convoke at all).
LIGNES[("POST", "/api/v1/parcours/{parcours_id}/convoquer-rdv")] = [
    Cas(
        "convoquer_rdv",
        CMD_REFERENT,
        req("POST", "/api/v1/parcours/{clos}/convoquer-rdv", json={"reservation_id": "resa-x"}),
        ok=frozenset({409}),
        controle=_clos,
    )
]
# « Mon agenda » in the cockpit: a référent's own page, like the agenda's API.
LIGNES[("GET", "/agenda")] = [
    Cas(
        "mon agenda",
        ligne("ok ok ok 403 403 403 cnx cnx cnx 403 403") | {"charge_entreprise": "403"},
        req("GET", "/agenda"),
    )
]
LIGNES[("POST", "/api/v1/agenda/convocations")] = [
    Cas(
        "convoquer sur un créneau",
        AGENDA_API,
        req(
            "POST",
            "/api/v1/agenda/convocations",
            json={
                "parcours_id": "parcours-inexistant",
                "motif": "accompagnement",
                "plage_id": "plage-inconnue",
                "debut": "2031-01-06T08:00:00+00:00",
            },
        ),
        ok=frozenset({404}),
    )
]

# --- sessions collectives ---
# Collective sessions (issue 18, item 3): the référents' own, like the agenda. A session that
# does not exist is the same 404 for every référent (who organises which session, and who
# registers whom, is tested in tests/agendas/test_sessions_collectives.py); the others never
# reach it. Creating one at a place that is not the asker's is refused on that field.
_SESSIONS = "/api/v1/sessions-collectives"


def _session_inconnue(r: httpx.Response) -> bool:
    return bool(r.json()["message"] == "Session inconnue")


def _saisie_session(_: Contexte) -> dict[str, Any]:
    debut = datetime(2031, 1, 6, 9, tzinfo=UTC) + timedelta(weeks=secrets.randbelow(500))
    return {
        "motif": "information_collective",
        "titre": "Information collective",
        "debut": debut.isoformat(),
        "fin": (debut + timedelta(hours=2)).isoformat(),
        "lieu_id": "lieu-inconnu",
        "capacite": 12,
    }


LIGNES |= {
    ("GET", _SESSIONS): [
        Cas(
            "sessions ouvertes du territoire",
            AGENDA_API,
            req("GET", _SESSIONS),
            controle=lambda r: isinstance(r.json(), list),
        )
    ],
    ("POST", _SESSIONS): [
        Cas(
            "organiser à un lieu qui n'est pas le sien",
            AGENDA_API,
            req("POST", _SESSIONS, json=_saisie_session),
            ok=frozenset({422}),
            controle=lambda r: r.json()["erreurs"][0]["champ"] == "lieu_id",
        )
    ],
    ("GET", f"{_SESSIONS}/{{session_id}}/inscrits"): [
        Cas(
            "liste des inscrits",
            AGENDA_API,
            req("GET", f"{_SESSIONS}/sess-inconnue/inscrits"),
            ok=frozenset({404}),
            controle=_session_inconnue,
        )
    ],
    ("POST", f"{_SESSIONS}/{{session_id}}/inscriptions"): [
        Cas(
            "inscrire la personne du dossier",
            AGENDA_API,
            req(
                "POST",
                f"{_SESSIONS}/sess-inconnue/inscriptions",
                json=lambda c: {"parcours_id": c.pid},
            ),
            ok=frozenset({404}),
            controle=_session_inconnue,
        )
    ],
    ("DELETE", f"{_SESSIONS}/{{session_id}}/inscriptions/{{inscription_id}}"): [
        Cas(
            "désinscrire",
            AGENDA_API,
            req("DELETE", f"{_SESSIONS}/sess-inconnue/inscriptions/insc-inconnue"),
            ok=frozenset({404}),
            controle=_session_inconnue,
        )
    ],
    ("POST", f"{_SESSIONS}/{{session_id}}/presences"): [
        Cas(
            "présence pour tous",
            AGENDA_API,
            req(
                "POST",
                f"{_SESSIONS}/sess-inconnue/presences",
                json={"presences": [{"inscription_id": "insc-inconnue", "statut": "honore"}]},
            ),
            ok=frozenset({404}),
            controle=_session_inconnue,
        )
    ],
}

# The cockpit's pages of the same: a référent's, like « Mon agenda ».
SESSIONS_PAGE = ligne("ok ok ok 403 403 403 cnx cnx cnx 403 403") | {"charge_entreprise": "403"}
_PAGE_SESSIONS = "/agenda/sessions"
LIGNES |= {
    ("GET", _PAGE_SESSIONS): [
        Cas(
            "sessions collectives",
            SESSIONS_PAGE,
            req("GET", _PAGE_SESSIONS),
            controle=lambda r: "Organiser une session" in r.text,
        )
    ],
    ("POST", _PAGE_SESSIONS): [
        Cas(
            "organiser à un lieu qui n'est pas le sien",
            SESSIONS_PAGE,
            req(
                "POST",
                _PAGE_SESSIONS,
                data=lambda c: (
                    _saisie_session(c)
                    | {"jour": "2031-01-06", "debut": "09:00", "fin": "11:00", "capacite": "12"}
                ),
            ),
            ok=frozenset({422}),
            controle=lambda r: "Ce lieu n&#39;est pas un lieu de votre structure" in r.text,
        )
    ],
    ("GET", f"{_PAGE_SESSIONS}/{{session_id}}"): [
        Cas(
            "une session",
            SESSIONS_PAGE,
            req("GET", f"{_PAGE_SESSIONS}/sess-inconnue"),
            ok=frozenset({404}),
            controle=lambda r: "Session inconnue" in r.text,
        )
    ],
    ("POST", f"{_PAGE_SESSIONS}/{{session_id}}/inscriptions"): [
        Cas(
            "inscrire depuis la page",
            SESSIONS_PAGE,
            req(
                "POST",
                f"{_PAGE_SESSIONS}/sess-inconnue/inscriptions",
                data=lambda c: {"parcours_id": c.pid},
            ),
            ok=frozenset({404}),
            controle=lambda r: "Session inconnue" in r.text,
        )
    ],
    ("POST", f"{_PAGE_SESSIONS}/{{session_id}}/presences"): [
        Cas(
            "présence pour tous depuis la page",
            SESSIONS_PAGE,
            req(
                "POST",
                f"{_PAGE_SESSIONS}/sess-inconnue/presences",
                data={"presence-insc-inconnue": "honore"},
            ),
            ok=frozenset({404}),
            controle=lambda r: "Session inconnue" in r.text,
        )
    ],
}

# --- sessions18 : annuler une session collective ---
# Its organiser (and the référents of their structure) only, like its list of registered people:
# a session that does not exist is the same 404 for every référent.
LIGNES |= {
    ("POST", f"{_SESSIONS}/{{session_id}}/annulation"): [
        Cas(
            "annuler une session",
            AGENDA_API,
            req(
                "POST",
                f"{_SESSIONS}/sess-inconnue/annulation",
                json={"motif": "L'intervenante est malade"},
            ),
            ok=frozenset({404}),
            controle=_session_inconnue,
        )
    ],
    ("POST", f"{_PAGE_SESSIONS}/{{session_id}}/annulation"): [
        Cas(
            "annuler une session depuis sa page",
            SESSIONS_PAGE,
            req(
                "POST",
                f"{_PAGE_SESSIONS}/sess-inconnue/annulation",
                data={"motif": "L'intervenante est malade"},
            ),
            ok=frozenset({404}),
            controle=lambda r: "Session inconnue" in r.text,
        )
    ],
}

# --- pilote16b : une structure modifiée au cockpit (issue 16) ---
# The administration of the SPIE only, as the API's PUT: the form shows the structure, and
# sending it back unchanged is accepted (303), audited with no difference.
LIGNES[("GET", "/administration/structures/{structure_id}/modifier")] = [
    Cas(
        "la Mission Locale",
        STRUCTURES_PAGE,
        req("GET", "/administration/structures/{structure}/modifier"),
        voit=lambda r, c: f'value="{STRUCTURE_MATRICE["siret"]}"' in r.text,
    )
]
LIGNES[("POST", "/administration/structures/{structure_id}/modifier")] = [
    Cas(
        "inchangée",
        STRUCTURES_PAGE,
        req("POST", "/administration/structures/{structure}/modifier", data=STRUCTURE_MATRICE),
        ok=frozenset({303}),
    )
]

# --- connecteur data·inclusion ---
# The search of the offer above « Prescrire une action »: whoever may prescribe (the référent).
LIGNES |= {
    ("GET", "/parcours/{parcours_id}/services"): [
        Cas(
            "recherche de services data·inclusion",
            CMD_PAGE_REFERENT,
            req("GET", "/parcours/{pid}/services", params={"thematique": "mobilite"}, htmx=True),
        )
    ],
}


# --- connecteur Immersion Facilitée ---
def _rappel_immersion_facilitee(ctx: Contexte, role: str) -> Requete:
    """Immersion Facilitée replays the « authorization » given at subscription; everyone else
    sends their own credentials. A convention of no one's company: nobody's data either way."""
    import json as json_
    from pathlib import Path

    from tests.partenaires.outils import partenaires

    chemin = (
        Path(__file__).parents[1] / "fixtures" / "immersion_facilitee" / "rappel_in_review.json"
    )
    rappel = json_.loads(chemin.read_text())
    rappel["payload"]["convention"]["id"] = f"matrice-{uuid.uuid4()}"
    entetes = {"Content-Type": "application/json"}
    if role == "partenaire":
        entetes["Authorization"] = str(partenaires(ctx.plateforme)["immersion"].secret)
    corps = json_.dumps(rappel).encode()
    return Requete(
        "POST", "/api/v1/partners/immersion-facilitee/rappels", content=corps, headers=entetes
    )


LIGNES[("POST", "/api/v1/partners/immersion-facilitee/rappels")] = [
    Cas(
        "rappel convention.updated",
        ligne("401 401 401 401 401 401 ok 401 401"),
        _rappel_immersion_facilitee,
    )
]


# --- connecteur rdv-solidarites ---
# Only RDV-Solidarités' X-Lapin-Signature opens the webhook: every account, session or token,
# sending the same bytes without it, is refused (401) and nothing is recorded.


def _webhook_rdv_solidarites(ctx: Contexte, role: str) -> Requete:
    from tests.partenaires.test_rdv_solidarites import charge, corps_de, pour
    from tests.partenaires.test_rdv_solidarites import signe as signe_rdvs

    webhook = pour(charge("webhook_rdv_created.json"), secrets.randbelow(10**9), 4242)
    corps = corps_de(webhook)
    entetes = signe_rdvs(ctx.plateforme, corps)
    if role != "partenaire":
        entetes = {"Content-Type": entetes["Content-Type"]}
    chemin = "/api/v1/partners/rdv/rdv-solidarites/webhooks"
    return Requete("POST", chemin, content=corps, headers=entetes)


LIGNES[("POST", "/api/v1/partners/rdv/rdv-solidarites/webhooks")] = [
    Cas("webhook signé", ligne("401 401 401 401 401 401 ok 401 401"), _webhook_rdv_solidarites)
]
# Registering the person in the tool: the référent's command, asked on the closed twin.
LIGNES[("POST", "/api/v1/parcours/{parcours_id}/inscrire-rdv-solidarites")] = [
    Cas(
        "inscrire_rdv_solidarites",
        CMD_REFERENT,
        req(
            "POST",
            "/api/v1/parcours/{clos}/inscrire-rdv-solidarites",
            json={"organisation_id": 352},
        ),
        ok=frozenset({409}),
        controle=_clos,
    )
]


# --- messages18 : modèles de messages (issue 18, item 6) ---
# The administration of the SPIE previews the messages about a rendez-vous: fictitious data
# only, never the dossier's person (« voit » here means: the previews, and nobody real in them).
def _apercus_fictifs(r: httpx.Response, c: Contexte) -> bool:
    personne = [c.nom, *c.contacts]
    return 'id="modele-rappel"' in r.text and not any(x in r.text for x in personne)


LIGNES[("GET", "/administration/messages")] = [
    Cas(
        "modèles de messages",
        STRUCTURES_PAGE,
        req("GET", "/administration/messages"),
        voit=_apercus_fictifs,
    )
]


def routes_de_l_application(plateforme: Plateforme) -> set[tuple[str, str]]:
    app = create_app(plateforme.settings)
    routes = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            routes.add(("GET", str(route.path)))
            continue
        for methode in route.methods or ():
            if methode != "HEAD":
                routes.add((methode, str(route.path)))
    return routes


def test_chaque_route_a_sa_ligne(plateforme: Plateforme) -> None:
    routes = routes_de_l_application(plateforme)
    sans_ligne = sorted(routes - set(LIGNES))
    sans_route = sorted(set(LIGNES) - routes)
    assert not sans_ligne, f"Routes sans ligne dans la matrice des droits : {sans_ligne}"
    assert not sans_route, f"Lignes de la matrice sans route : {sans_route}"
    assert all(LIGNES.values())


async def _attendre(quoi: Callable[[], Any], message: str, delai_s: float = 20) -> Any:
    limite = asyncio.get_running_loop().time() + delai_s
    while True:
        if trouve := await quoi():
            return trouve
        if asyncio.get_running_loop().time() > limite:
            raise AssertionError(f"Toujours rien après {delai_s} s : {message}")
        await asyncio.sleep(0.1)


async def _compte_partenaire(plateforme: Plateforme) -> str:
    """A partner system's account: it may send signed events, never read the API."""
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            compte = await session.get(Compte, PARTENAIRE)
            if compte is None:
                await ecriture(session)
                compte = Compte(
                    id=PARTENAIRE,
                    email="si@caf74.example",
                    nom="CAF (système)",
                    role="partenaire",
                    mot_de_passe=hacher(secrets.token_urlsafe()),
                    cree_le=datetime.now(UTC),
                )
                session.add(compte)
                await session.commit()
            return await creer_jeton(session, compte, "matrice des droits")
    finally:
        await engine.dispose()


async def _lu(plateforme: Plateforme, requete: Any) -> Any:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            return (await session.exec(requete)).first()
    finally:
        await engine.dispose()


async def _empreintes_actives(plateforme: Plateforme, pid: str) -> list[str]:
    engine = make_engine(plateforme.settings.effective_database_url)
    try:
        async with session_factory(engine)() as session:
            rows = (
                await session.exec(select(AccesUsagerRow).where(AccesUsagerRow.parcours_id == pid))
            ).all()
    finally:
        await engine.dispose()
    return [r.empreinte for r in rows if not r.revoque]


async def _passe_a_claire(sophie: httpx.AsyncClient, pid: str) -> None:
    r = await sophie.post(
        f"/api/v1/parcours/{pid}/transferer-referent",
        json={"nouveau_referent_id": "ref-claire-martin", "motif": "Congé de Sophie"},
    )
    assert r.status_code == 200, r.text


@pytest_asyncio.fixture(scope="module")
async def contexte(plateforme: Plateforme, simulateur_session: Simulateur) -> Contexte:
    jour = date.today()
    nom = "Matrice" + secrets.token_hex(4).upper()
    telephone = f"06 {secrets.randbelow(100):02d} {secrets.randbelow(100):02d} 45 67"
    accueil = factories.accueil_rsa(jour, telephone=telephone)
    email = f"{nom.lower()}@example.org"
    accueil = accueil.model_copy(
        update={"usager": accueil.usager.model_copy(update={"nom": nom, "email": email})}
    )
    # Quick retries, so that the SMS gateway's outage becomes an incident at once.
    temporal = ParcoursClient(plateforme.env.client, plateforme.task_queue)
    pid = (await temporal.ouvrir(accueil, factories.SOPHIE, politique_appels=RAPIDE)).parcours_id
    corps = commandes(jour, referent_id="ref-sophie-girard")
    async with (
        plateforme.client("ref-sophie-girard") as sophie,
        plateforme.client("ref-claire-martin") as claire,
    ):
        for nom_cmd in ("enregistrer_diagnostic", "decider_orientation", "rediger_contrat"):
            r = await sophie.post(
                f"/api/v1/parcours/{pid}/{nom_cmd.replace('_', '-')}", json=corps[nom_cmd]
            )
            assert r.status_code == 200, r.text
        for signataire in ("usager", "referent"):
            r = await sophie.post(
                f"/api/v1/parcours/{pid}/signer-contrat",
                json={"signataire": signataire, "signe_le": jour.isoformat()},
            )
            assert r.status_code == 200, r.text
        lien = await sophie.post(
            f"/api/v1/parcours/{pid}/envoyer-lien-carnet", json={"canal": "sms"}
        )
        assert lien.status_code == 200, lien.text

        async def sms() -> str | None:
            recus = await simulateur_session.sms(telephone=telephone)
            trouve = re.search(r"/carnet/([A-Za-z0-9_-]+)", recus[0]["texte"]) if recus else None
            return trouve.group(1) if trouve else None

        secret = await _attendre(sms, "SMS du lien de carnet")
        await simulateur_session.mode("sms", "panne")
        try:
            r = await sophie.post(
                f"/api/v1/parcours/{pid}/envoyer-lien-carnet", json={"canal": "sms"}
            )
            assert r.status_code == 200, r.text
            await _attendre(
                lambda: _lu(plateforme, select(IncidentRow).where(IncidentRow.parcours_id == pid)),
                "incident de la passerelle SMS",
            )
        finally:
            await simulateur_session.mode("sms", "normal")
        await _passe_a_claire(sophie, pid)

        clos = (
            await sophie.post(
                "/api/v1/parcours",
                json=donnees.accueil(jour, nom=nom + "CLOS") | {"doublon_confirme": True},
            )
        ).json()["id"]
        await _passe_a_claire(sophie, clos)
        note, demande = await _equipe_de_suivi(plateforme, claire, pid, clos, accueil)
        sortie = await claire.post(
            f"/api/v1/parcours/{clos}/prononcer-sortie",
            json={"le": jour.isoformat(), "motif": "demenagement"},
        )
        assert sortie.status_code == 200, sortie.text

        async def pret() -> bool:
            lien_projete = await _lu(
                plateforme, select(AccesUsagerRow).where(AccesUsagerRow.parcours_id == pid)
            )
            acces = await _lu(
                plateforme,
                select(AccesRow).where(
                    AccesRow.parcours_id == pid, col(AccesRow.compte_id) == "ref-sophie-girard"
                ),
            )
            clos_lu = (await claire.get(f"/api/v1/parcours/{clos}")).json()
            return bool(lien_projete and acces and clos_lu["etat"]["sortie"])

        await _attendre(pret, "projection du dossier et clôture du jumeau")

    en_attente = evenement(
        plateforme,
        "caf",
        "fr.caf.rsa.droits-suspendus",
        numero_caf(),
        {"date": jour.isoformat(), "motif": "Contrôle"},
    )
    corps_ev, entetes_ev = signe(plateforme, "caf", en_attente)
    async with plateforme.client() as anonyme:
        envoi = await anonyme.post(
            "/api/v1/partners/caf/events", content=corps_ev, headers=entetes_ev
        )
    assert envoi.json() == {"status": "accepted", "matched": False}, envoi.text

    codec = EncryptionCodec.from_spec(DEV_CODEC_KEY)
    (chiffre,) = await codec.encode(
        [Payload(metadata={"encoding": b"json/plain"}, data=b'"Zo\xc3\xa9"')]
    )
    payload = {
        "payloads": [
            {
                "metadata": {k: base64.b64encode(v).decode() for k, v in chiffre.metadata.items()},
                "data": base64.b64encode(chiffre.data).decode(),
            }
        ]
    }
    structure, cible, jeton_cible, jetons = await _comptes_administres(plateforme)
    async with plateforme.client("coord-bassin_annecien") as coord:
        r = await coord.post("/api/v1/imports", json=_IMPORT)
        assert r.status_code == 201, r.text
        import_id = r.json()["id"]
    async with plateforme.client("ref-claire-martin") as claire:
        r = await claire.post(f"/api/v1/parcours/{pid}/documents", json=_DOCUMENT)
        assert r.status_code == 201, r.text
        document = r.json()["id"]
    return Contexte(
        document=document,
        import_id=import_id,
        pid=pid,
        clos=clos,
        nom=nom,
        lien=secret,
        empreintes=frozenset(await _empreintes_actives(plateforme, pid)),
        contacts=(telephone, telephone.replace(" ", ""), email),
        evenement=en_attente["id"],
        jeton_partenaire=await _compte_partenaire(plateforme),
        jetons=plateforme.jetons | jetons | await _charge_entreprise(plateforme, pid),
        payload=payload,
        plateforme=plateforme,
        jour=jour,
        structure=structure,
        cible=cible,
        jeton_cible=jeton_cible,
        note=note,
        demande=demande,
        notification=await _notification_de_claire(plateforme, pid),
    )


async def _comptes_administres(plateforme: Plateforme) -> tuple[str, str, str, dict[str, str]]:
    """The « Matrice » Mission Locale, its administrator, the Bassin annécien's administrator,
    and an account of that structure with an API token: (structure, account, token id, the
    two administrators' tokens by their COMPTES name)."""
    async with plateforme.client("admin") as admin:
        r = await admin.post("/api/v1/structures", json=STRUCTURE_MATRICE)
        assert r.status_code == 201, r.text
        structure = r.json()["id"]
        ids = {}
        for nom, corps in (
            ("admin_structure", {"role": "admin_structure", "structure_id": structure}),
            ("admin_territoire", {"role": "admin_territoire", "territoire": "bassin_annecien"}),
            ("cible", {"role": "referent", "structure_id": structure}),
        ):
            email = f"{nom.replace('_', '.')}.{secrets.token_hex(3)}@ml-matrice.fr"
            r = await admin.post("/api/v1/comptes", json={"email": email, "nom": nom} | corps)
            assert r.status_code == 201, r.text
            ids[nom] = r.json()["id"]
        jetons = {}
        engine = make_engine(plateforme.settings.effective_database_url)
        try:
            async with session_factory(engine)() as session:
                for nom, compte_id in ids.items():
                    compte = await session.get(Compte, compte_id)
                    assert compte is not None
                    jetons[nom] = await creer_jeton(session, compte, "matrice des droits")
        finally:
            await engine.dispose()
        jeton_cible = (await admin.get(f"/api/v1/comptes/{ids['cible']}/jetons")).json()[0]["id"]
    return (
        structure,
        ids["cible"],
        jeton_cible,
        {COMPTES[role]: jetons[role] for role in ("admin_structure", "admin_territoire")},
    )


async def _envoyer(
    client: httpx.AsyncClient, r: Requete, role: str, ctx: Contexte
) -> httpx.Response:
    data = r.data
    if isinstance(data, list):  # a form's fields, some repeated
        data = {k: [v for k2, v in data if k2 == k] for k, _ in data}
    return await client.request(
        r.methode,
        r.url,
        params=r.params,
        json=r.json,
        data=data,
        content=r.content,
        headers={**ctx.entetes(role), **r.headers},
    )


def _reponse_de_refus(r: httpx.Response) -> str:
    if r.headers.get("content-type", "").startswith(
        ("application/json", "application/problem+json")
    ):
        corps = r.json()
        return f"{corps.get('code')}: {corps.get('message')}"
    titre = re.search(r"<p[^>]*>([^<]*introuvable[^<]*)</p>", r.text)
    return titre.group(1) if titre else ("introuvable" if "introuvable" in r.text else r.text[:80])


def _fuite(r: httpx.Response, role: str, ctx: Contexte) -> str | None:
    """A working carnet link, or a contact the role may not see, anywhere in the answer."""
    texte = r.text
    liens = [
        t for t in LIEN_CARNET.findall(texte) if t == ctx.lien or empreinte(t) in ctx.empreintes
    ]
    if liens or ctx.lien in texte:
        return f"lien du carnet en état de marche dans la réponse ({r.status_code})"
    if role not in CONTACTS_VISIBLES:
        vues = [c for c in ctx.contacts if c in texte]
        if vues:
            return f"coordonnées de la personne dans la réponse ({r.status_code}) : {vues}"
    return None


async def _cellule(client: httpx.AsyncClient, cas: Cas, role: str, ctx: Contexte) -> str | None:
    """None if the cell holds, else what went wrong."""
    attendu = cas.attendu[role]
    r = await _envoyer(client, cas.requete(ctx, role), role, ctx)
    recu = f"reçu {r.status_code} {r.text[:160]!r}"
    if (fuite := _fuite(r, role, ctx)) is not None:
        return fuite
    if attendu in ("ok", "vide"):
        if r.status_code not in cas.ok:
            return f"attendu {attendu} ({sorted(cas.ok)}), {recu}"
        if cas.controle is not None and attendu == "ok" and not cas.controle(r):
            return f"réponse autorisée inattendue, {recu}"
        if cas.voit is not None and cas.voit(r, ctx) != (attendu == "ok"):
            return (
                "le dossier n'y est pas" if attendu == "ok" else f"le dossier y est visible, {recu}"
            )
        return None
    if attendu == "cnx":
        vers = r.headers.get("location") or r.headers.get("hx-redirect") or ""
        if r.status_code not in (303, 204) or not vers.startswith("/connexion"):
            return f"attendu la page de connexion, {recu}"
        return None
    if r.status_code != int(attendu):
        return f"attendu {attendu}, {recu}"
    if attendu == "404":  # word for word the answer about a parcours that does not exist
        inconnu = await _envoyer(client, cas.requete(ctx.inconnu(), role), role, ctx)
        if (inconnu.status_code, _reponse_de_refus(inconnu)) != (404, _reponse_de_refus(r)):
            return f"un 404 qui se distingue d'un parcours inexistant : {recu} / {inconnu.text[:120]!r}"
    return None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per row, read once the whole module is loaded: rows added below this test
    (most of the later sections) were left out by a ``parametrize`` decorator, which reads
    ``LIGNES`` where it stands — routes with a row, never asked."""
    if metafunc.definition.name == "test_matrice":
        ids = [f"{methode} {chemin}" for methode, chemin in LIGNES]
        metafunc.parametrize("route", list(LIGNES), ids=ids)


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: tuple[str, str]) -> None:
    erreurs = []
    async with httpx.AsyncClient(base_url=plateforme.base_url, timeout=30) as client:
        for cas in LIGNES[route]:
            for role in ROLES:
                if (probleme := await _cellule(client, cas, role, contexte)) is not None:
                    erreurs.append(f"{cas.libelle} × {role} : {probleme}")
    assert not erreurs, f"{route[0]} {route[1]}\n" + "\n".join(erreurs)


# --- connecteur orientation ---
# The answer page of a structure's orientation (ticket 20, item 2): its link is the only key.
# The person's carnet link is not one, nor any account: every cell is the same 404 as for a
# link that never existed (tests/orientation checks that an expired one answers the same).
ORIENTATION_PAR_LIEN = ligne("404 404 404 404 404 404 404 404 404 404 404")


def _orientation_structure() -> dict[tuple[str, str], list[Cas]]:
    refus = {"decision": "refusee", "motifs_refus": "session-complète"}
    return {
        ("GET", "/orientation/{jeton}"): [
            Cas("demande d'orientation", ORIENTATION_PAR_LIEN, req("GET", "/orientation/{lien}"))
        ],
        ("POST", "/orientation/{jeton}"): [
            Cas(
                "répondre à l'orientation",
                ORIENTATION_PAR_LIEN,
                req("POST", "/orientation/{lien}", data=refus),
            )
        ],
    }


LIGNES.update(_orientation_structure())

# --- messages18c : courrier d'invitation ---
# The page where a person types the code of their letter (issue 18): public like the login form,
# and it opens nothing by itself: a code of the right form goes on to /rdv/<code>, whose rows
# above say whom it opens for (the code's owner only); a wrong form is told, and never echoed.
LIGNES[("GET", "/rdv")] = [
    Cas(
        "saisir le code d'un courrier",
        PUBLIC,
        req("GET", "/rdv"),
        controle=lambda r: "Code de rendez-vous" in r.text,
    ),
    Cas(
        "un code de la bonne forme",
        PUBLIC,
        req("GET", "/rdv", params={"code": "k7qm-3xrp-h9td"}),
        ok=frozenset({303}),
        controle=lambda r: r.headers["location"] == "/rdv/K7QM3XRPH9TD",
    ),
    Cas(
        "un code mal formé",
        PUBLIC,
        req("GET", "/rdv", params={"code": "k7qm-zz"}),
        ok=frozenset({422}),
        controle=lambda r: "pas la bonne forme" in r.text and "k7qm-zz" not in r.text,
    ),
]


# --- offres FT et import d'entreprises ---
# Importing companies from a file is the directory's: chargés de relation entreprise and the
# administration. A preview (nothing written), whose body lists the file's new company.
_SIRET_IMPORT = un_siret()


def _fichier_d_entreprises(_: Contexte) -> dict[str, Any]:
    texte = (
        f"SIRET;Raison sociale;Code postal;Commune\n{_SIRET_IMPORT};Matrice Import;74000;Annecy\n"
    )
    return {"nom_fichier": "entreprises.csv", "contenu": base64.b64encode(texte.encode()).decode()}


LIGNES[("POST", f"{_ENTREPRISES}/import")] = [
    Cas(
        "aperçu d'un fichier d'entreprises",
        EMPLOYEURS_API,
        req("POST", f"{_ENTREPRISES}/import", json=_fichier_d_entreprises),
        controle=lambda r: r.json()["ajoutees"] == [_SIRET_IMPORT] and not r.json()["enregistre"],
    )
]


# --- employeurs : offres sans SIRET ---
# An offer of France Travail without SIRET is attached to a company of the directory by a
# chargé de relation entreprise (or the administration), as the offer's other writes. The
# matrix's offer is attached to its own company again: the answer names it.
LIGNES |= {
    ("PUT", f"{_OFFRES}/{{offre_id}}/entreprise"): [
        Cas(
            "rattachée à une entreprise de l'annuaire",
            EMPLOYEURS_API,
            _offre("PUT", "/entreprise", {"siret": SIRET_MATRICE}),
            controle=lambda r: r.json()["siret"] == SIRET_MATRICE,
        )
    ],
    ("POST", "/offres/{offre_id}/entreprise"): [
        Cas(
            "rattachée à une entreprise de l'annuaire",
            EMPLOYEURS_PAGE,
            _page_offre("POST", "/entreprise", {"siret": SIRET_MATRICE}),
            ok=_VU,
        )
    ],
}


# --- employeurs : pages des événements ---
# The cockpit's pages of the job datings, as their API: read by the professionals who accompany
# and the chargés de relation entreprise, created by the chargé of the territory (and the
# administration); a référent inscribes the people they accompany (the matrix's dossier is
# already invited: allowed, then refused as a conflict), everyone else gets the answer about a
# parcours that does not exist. The login page for whoever has no account.
#                   réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
EVENEMENTS_PAGE_LIRE = ligne(
    "               ok   ok    ok     ok    ok      ok    cnx  cnx    cnx  403   403   ok   ok    ok     ok"
)
EVENEMENTS_PAGE_SIENS = ligne(
    "               ok   404   404    404   404     ok    cnx  cnx    cnx  403   403   404  404   404    404"
)


def _page_evenement(methode: str, suite: str = "", data: Any = None) -> Construire:
    def construire(ctx: Contexte, __: str) -> Requete:
        url = f"/evenements-employeurs/{_EV_MATRICE['evenement']}{suite}"
        return Requete(methode, url, data=_v(data, ctx))

    return construire


LIGNES |= {
    ("GET", "/evenements-employeurs"): [
        Cas(
            "événements",
            EVENEMENTS_PAGE_LIRE,
            req("GET", "/evenements-employeurs"),
            controle=lambda r: "Job dating Matrice" in r.text,
        )
    ],
    ("GET", "/evenements-employeurs/nouveau"): [
        Cas("formulaire", EMPLOYEURS_PAGE, req("GET", "/evenements-employeurs/nouveau"))
    ],
    ("POST", "/evenements-employeurs"): [
        Cas(
            "création",
            EMPLOYEURS_PAGE,
            req("POST", "/evenements-employeurs", data=_saisie_evenement),
            ok=_VU,
        )
    ],
    ("GET", "/evenements-employeurs/{evenement_id}"): [
        Cas(
            "un événement",
            EVENEMENTS_PAGE_LIRE,
            _page_evenement("GET"),
            controle=lambda r: "Job dating Matrice" in r.text,
        )
    ],
    ("POST", "/evenements-employeurs/{evenement_id}/invitations"): [
        Cas(
            "inscrire le dossier, déjà invité",
            EVENEMENTS_PAGE_SIENS,
            _page_evenement("POST", "/invitations", lambda ctx: {"parcours_id": ctx.pid}),
            ok=frozenset({409}),
            controle=lambda r: "déjà invitée" in r.text,
        )
    ],
}


# --- employeurs : présence aux événements (page) ---
# One form for the presence and outcome of everyone a référent invited: as the API's
# « présence » row (the référent of the person, the administration; the answer about an
# invitation that does not exist for everyone else, the chargé included). The matrix's event
# is today's: noting is allowed.
LIGNES |= {
    ("POST", "/evenements-employeurs/{evenement_id}/presences"): [
        Cas(
            "présence et suite du dossier",
            EVENEMENTS_PAGE_SIENS,
            _page_evenement(
                "POST",
                "/presences",
                lambda _: {
                    f"presence-{_EV_MATRICE['invitation']}": "presente",
                    f"suite-{_EV_MATRICE['invitation']}": "entretien",
                },
            ),
            ok=_VU,
        )
    ],
}


# --- employeurs : pages des clauses sociales ---
# The cockpit's pages of the social clauses, as their API: read by the professionals who
# accompany and the chargés de relation entreprise (the page shows the people placed that the
# API shows: the chargé of the territory sees the dossier, a référent only their own); created
# by the chargé of the territory and the administration; a person placed and hours entered by
# their référent or the chargé of the territory (the closed twin: allowed, then refused, as
# closed or as outside the pool). The login page for whoever has no account.
#                   réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
CLAUSES_PAGE_PERSONNES = ligne(
    "               ok   vide  vide   vide  vide    ok    cnx  cnx    cnx  403   403   vide vide  vide   ok"
)
CLAUSES_PAGE_SIENS = ligne(
    "               ok   404   404    404   404     ok    cnx  cnx    cnx  403   403   404  404   404    ok"
)


def _page_clause(methode: str, suite: str = "", data: Any = None) -> Construire:
    def construire(ctx: Contexte, __: str) -> Requete:
        url = f"/clauses-sociales/{_EV_MATRICE['clause']}{suite.format(**_EV_MATRICE)}"
        return Requete(methode, url, data=_v(data, ctx))

    return construire


def _placement_dans_la_page(r: httpx.Response, ctx: Contexte) -> bool:
    return f'id="placement-{ctx.pid}"' in r.text


LIGNES |= {
    ("GET", "/clauses-sociales"): [
        Cas(
            "marchés de tous les bassins",
            EVENEMENTS_PAGE_LIRE,
            req("GET", "/clauses-sociales", params={"bassin": ""}),
            controle=lambda r: "Marché Matrice" in r.text,
        )
    ],
    ("GET", "/clauses-sociales/nouveau"): [
        Cas("formulaire", EMPLOYEURS_PAGE, req("GET", "/clauses-sociales/nouveau"))
    ],
    ("POST", "/clauses-sociales"): [
        Cas(
            "création",
            EMPLOYEURS_PAGE,
            req("POST", "/clauses-sociales", data=_saisie_clause),
            ok=_VU,
        )
    ],
    ("GET", "/clauses-sociales/{clause_id}"): [
        Cas(
            "un marché, son bilan et ses placements",
            CLAUSES_PAGE_PERSONNES,
            _page_clause("GET"),
            voit=_placement_dans_la_page,
            controle=lambda r: 'id="bilan-exigees">100 h<' in r.text,
        )
    ],
    ("POST", "/clauses-sociales/{clause_id}/placements"): [
        Cas(
            "placer le jumeau clos",
            CLAUSES_PAGE_SIENS,
            _page_clause(
                "POST",
                "/placements",
                lambda c: {"parcours_id": c.clos, "debut": date.today().isoformat()},
            ),
            ok=frozenset({409, 422}),
            controle=lambda r: "est clos" in r.text or "pas dans le vivier" in r.text,
        )
    ],
    ("POST", "/clauses-sociales/{clause_id}/placements/{placement_id}"): [
        Cas(
            "heures réalisées",
            CLAUSES_PAGE_SIENS,
            _page_clause("POST", "/placements/{placement}", {"heures_realisees": "12"}),
            ok=_VU,
        )
    ],
}
