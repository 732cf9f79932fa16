"""What every family of the matrix shares: who asks (ROLES) and with what credentials
(``entetes``), how a row is written (``ligne``, the rows many routes share, ``Cas``, ``req``),
and how a row is judged, status and body (``ecarts``). The dossier the requests name
(``Contexte``) and what the set-up creates for the rows to name: dossier.py."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from schemas.carnet import empreinte
from tests.api import donnees
from tests.fixtures.plateforme import Plateforme
from tests.securite.matrice.dossier import Contexte

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
#                      réf  autre ancien coord c.autre admin part usager anon a.str a.ter
PUBLIC_404 = ligne("   ok   ok    ok     ok    ok      ok    ok   ok     ok   ok    ok")
# Who opens a parcours at accueil, beyond the cells of the rows (the API's and the cockpit's).
# What web/api/parcours.py does today: it restricts coordinators and référents at accueil, not
# the account administrators, who may open a parcours on any territory. Recorded as it is, to
# be decided by the owners of the accueil (a restriction there turns these cells into 403).
OUVRENT = {"admin_structure": "ok", "admin_territoire": "ok"}
# A référent who is a member elsewhere opens parcours like any référent (rows written before).
OUVRENT_AUSSI = {"membre": "ok", "ancien_membre": "ok", "refuse": "ok"}
# A chargé de relation entreprise does not get what a référent without the dossier gets where
# their row says « CRE_AUTREMENT »: they open no parcours, and the directory of référents and
# organismes is not theirs (as for the account admins).
CRE_AUTREMENT = {"charge_entreprise": "403"}
# --- employeurs --- (test_entreprises.py, test_evenements_employeurs.py)
# The directory of companies, the offers, creating job datings and social clauses: the chargés
# de relation entreprise and the administration only; the login page for whoever has no account.
#               réf  autre ancien coord c.autre admin part usager anon a.str a.ter memb anc.m refusé cre
EMPLOYEURS_API = ligne(
    "           403  403   403    403   403     ok    403  401    401  403   403   403  403   403    ok"
)
EMPLOYEURS_PAGE = ligne(
    "           403  403   403    403   403     ok    cnx  cnx    cnx  403   403   403  403   403    ok"
)

Route = tuple[str, str]  # (method, path as the application declares it)


def entetes(ctx: Contexte, role: str) -> dict[str, str]:
    """The credentials a role asks with: its account's API token, the partner's, the carnet link."""
    if role in COMPTES:
        return {"Authorization": f"Bearer {ctx.jetons[COMPTES[role]]}"}
    if role == "partenaire":
        return {"Authorization": f"Bearer {ctx.jeton_partenaire}"}
    if role == "usager":
        return {"Authorization": f"Bearer {ctx.lien}"}
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


def evaluer(valeur: Valeur, ctx: Contexte) -> Any:
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
            params=evaluer(params, ctx),
            json=evaluer(json, ctx),
            data=evaluer(data, ctx),
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


Lignes = dict[Route, list[Cas]]


def refuse_car_clos(r: httpx.Response) -> bool:
    """Allowed, then refused because the parcours is closed: nothing was written."""
    if r.headers.get("content-type", "").startswith(
        ("application/json", "application/problem+json")
    ):
        corps = r.json()
        return corps["code"] in ("commande_refusee", "parcours_clos") and "clos" in corps["message"]
    return "clos" in r.text


def est_un_pdf(r: httpx.Response) -> bool:
    return r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")


def corps_d_accueil(nom: str, **extra: Any) -> Callable[[Contexte], dict[str, Any]]:
    def corps(ctx: Contexte) -> dict[str, Any]:
        unique = f"{nom}{secrets.token_hex(4).upper()}"
        return donnees.accueil(ctx.jour, nom=unique) | extra

    return corps


def par_nom(ctx: Contexte, **autres: str) -> dict[str, str]:
    return {"q": ctx.nom, **autres}


# --- How a row is judged ---
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
        headers={**entetes(ctx, role), **r.headers},
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


async def ecarts(plateforme: Plateforme, ctx: Contexte, route: Route, cas: list[Cas]) -> str:
    """Every cell of a route's row asked, by every role: what went wrong, or ""."""
    erreurs = []
    async with httpx.AsyncClient(base_url=plateforme.base_url, timeout=30) as client:
        for un_cas in cas:
            for role in ROLES:
                if (probleme := await _cellule(client, un_cas, role, ctx)) is not None:
                    erreurs.append(f"{un_cas.libelle} × {role} : {probleme}")
    return f"{route[0]} {route[1]}\n" + "\n".join(erreurs) if erreurs else ""
