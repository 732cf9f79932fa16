"""RDV-Solidarités' public API v1, called by the platform: create the person in the tool and get
the invitation token with which they book their appointment themselves.

Contract taken from the public source code (facts restated, no code copied):
- gip-inclusion/rdv-insertion @ 6713dfafd0b96aa2d86816e35c98e498ba36cc93 (2026-07-23),
  ``app/clients/rdv_solidarites_client.rb``: ``POST /api/v1/users`` (answer ``{"user": {…}}``),
  ``POST /api/v1/users/{id}/rdv_invitation_token`` (answer ``{"invitation_token": …}``),
  ``GET /api/v1/organisations``, ``GET /api/v1/auth/validate_token``; headers ``uid``,
  ``client``, ``access-token`` (``app/models/rdv_solidarites_credentials.rb``);
  ``app/services/rdv_solidarites_api/base.rb``: an error body carries ``errors`` and
  ``error_messages``.
- betagouv/rdv-solidarites.fr @ 4c061097aa64431e18c2155531d1fe31a44f27c6 (2021-07-13),
  ``app/controllers/api/v1/base_controller.rb``: pages ``page``/``per`` (100 by default) with
  ``meta`` {current_page, next_page, prev_page, total_pages, total_count}; 403 ``{errors,
  error_messages}``, 404 empty, 422 ``{success: false, errors, error_messages}``; authentication
  by devise_token_auth (401 when the headers are missing or stale).

- betagouv/rdv-service-public @ 3770bd9c3e0c6e72e62aa886cf95ad5604efbc61,
  ``app/controllers/api/v1/participations_controller.rb``: ``PATCH /api/v1/participations/{id}``
  with ``{"participation": {"status": …}}`` (agent authentication as above), the participation
  found in the agent's policy scope (404 otherwise), its status changed and the participant
  notified (``change_status_and_notify``), the answer is the rdv (``render_record``);
  @ 0283e3efdcb63043f052ef2514f237dc496b3ab9, ``config/routes/api.rb``: ``resources
  :participations, only: %i[update]`` and ``resources :rdvs … do patch :update_status end``
  under ``api/v1``. The statuses: ``partenaires.rdv_solidarites.STATUTS_PARTICIPATION``.

Neither repository shows an API that creates the rdv itself, nor does the tool's newest source
read here (betagouv/rdv-service-public @ 2693798dd8cb52d5c526e67c8d62a2474b4d370c, 2024-10-24,
``config/routes/api.rb``: under ``api/v1`` rdvs are only listed, ``GET
/api/v1/organisations/{id}/rdvs``; the one ``POST …/rdvs`` is Visioplainte's own API, behind its
own key and territory). In RDV-Insertion the person books through the invitation token (or an
agent books in the tool), and the outcome comes back by webhook (``partenaires.rdv_solidarites``).
So does the platform: ``envoyer_invitation`` sends the tool's booking link
(``{url}/prendre_rdv?…&invitation_token=…``, RDV-Insertion's
``app/services/invitations/compute_link.rb``; the token is stable per user, the tool's
``User#set_rdv_invitation_token!``). Nothing here was tried against the live service.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.http import TIMEOUT, ClientPartenaire, indisponible, refus
from activities.messagerie import Messagerie
from activities.outbox import Outbox
from core import traces
from core.fichiers_secrets import avec_fichiers
from core.partners import PartnerConfig, env_name
from partenaires.rdv_solidarites import STATUT_PARTICIPATION
from schemas.appels import MARQUE_LIEN, AppelPartenaire, InvitationRdvSolidarites
from schemas.invitation import OutilDeReservation
from schemas.rdv_solidarites import (
    InscriptionRdvSolidarites,
    IssueRdvSolidarites,
    UsagerRdvSolidarites,
)

NOM = "RDV-Solidarités"
RETRY_AFTER_MAX_S = 3600


@dataclass(frozen=True)
class IdentifiantsAgent:
    """devise_token_auth's three headers: the agent's e-mail (``uid``), its ``client`` and
    ``access-token``. Never logged, never put in a workflow's history."""

    uid: str
    client: str
    access_token: str

    def entetes(self) -> dict[str, str]:
        return {"uid": self.uid, "client": self.client, "access-token": self.access_token}

    @classmethod
    def depuis(cls, config: PartnerConfig, env: dict[str, str] | None = None) -> IdentifiantsAgent:
        """``PARTNER_RDV_TOKEN`` is the access token, ``PARTNER_RDV_UID`` and
        ``PARTNER_RDV_CLIENT`` the two others (files accepted, as for every secret)."""
        env = env if env is not None else avec_fichiers()
        dev = env.get("PARCOURS_ENV", os.environ.get("PARCOURS_ENV", "dev")) != "production"
        return cls(
            uid=env.get(env_name(config.id, "UID"), "agent@simulateur.test" if dev else ""),
            client=env.get(env_name(config.id, "CLIENT"), "parcours-dev" if dev else ""),
            access_token=config.jeton or "",
        )


class UsagerInscrit(BaseModel):
    rdv_solidarites_id: str


def _messages(response: httpx.Response) -> str:
    """``error_messages`` (Rails) or ``errors`` (devise_token_auth), else the raw text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        for cle in ("error_messages", "errors"):
            valeur = body.get(cle)
            if isinstance(valeur, list) and valeur:
                return ", ".join(str(v) for v in valeur)[:300]
            if isinstance(valeur, dict) and valeur:
                return str(valeur)[:300]
    return str(body)[:300]


def _retry_after(response: httpx.Response) -> timedelta | None:
    valeur = response.headers.get("retry-after", "")
    if valeur.isdigit():
        return timedelta(seconds=min(int(valeur), RETRY_AFTER_MAX_S))
    return None


def _trop_de_requetes(response: httpx.Response) -> ApplicationError:
    """Retryable, after the delay the tool asks for rather than the policy's own backoff."""
    sans_delai = indisponible(f"{NOM} limite les appels (429) : {_messages(response)}", 429)
    return ApplicationError(
        sans_delai.message,
        *sans_delai.details,
        type=sans_delai.type,
        next_retry_delay=_retry_after(response),
    )


class ClientRdvSolidarites:
    def __init__(
        self, config: PartnerConfig, identifiants: IdentifiantsAgent, http: httpx.AsyncClient
    ) -> None:
        self.url = config.url.rstrip("/")
        self.partenaire = config.id
        self.identifiants = identifiants
        self.http = http

    async def appeler(
        self, methode: str, chemin: str, *, json: Any = None, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        headers = {"Accept": "application/json", **self.identifiants.entetes()}
        with traces.appel_partenaire(self.partenaire, methode) as appel:
            try:
                response = await self.http.request(
                    methode,
                    self.url + chemin,
                    json=json,
                    params=params,
                    headers=headers,
                    timeout=TIMEOUT,
                )
            except httpx.TimeoutException:
                raise indisponible(f"{NOM} n'a pas répondu à temps") from None
            except httpx.TransportError as err:
                raise indisponible(f"{NOM} est injoignable ({type(err).__name__})") from None
            appel.reponse(response.status_code)
            return self._corps(response)

    def _corps(self, response: httpx.Response) -> dict[str, Any]:
        code = response.status_code
        if code == 401:
            raise refus(
                f"{NOM} refuse les identifiants de l'agent (401) : vérifiez PARTNER_RDV_UID, "
                f"PARTNER_RDV_CLIENT et PARTNER_RDV_TOKEN ({_messages(response)})",
                code,
            )
        if code == 429:
            raise _trop_de_requetes(response)
        if code >= 500 or code in (408, 425):
            raise indisponible(f"{NOM} est en erreur ({code}) : {_messages(response)}", code)
        if code >= 400:
            raise refus(f"{NOM} refuse la demande ({code}) : {_messages(response)}", code)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            # a proxy's HTML page or a cut answer: the call may have happened, ask again later
            raise indisponible(f"{NOM} a répondu un corps illisible ({code})", code)
        return body

    async def creer_usager(self, usager: UsagerRdvSolidarites) -> str:
        body = await self.appeler("POST", "/api/v1/users", json=usager.model_dump(mode="json"))
        identifiant = (
            (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else None
        )
        if not isinstance(identifiant, int):
            raise indisponible(f"{NOM} a répondu sans « user.id »")
        return str(identifiant)

    async def jeton_invitation(self, rdv_solidarites_id: str) -> str:
        body = await self.appeler(
            "POST", f"/api/v1/users/{rdv_solidarites_id}/rdv_invitation_token"
        )
        jeton = body.get("invitation_token")
        if not isinstance(jeton, str) or not jeton:
            raise indisponible(f"{NOM} a répondu sans « invitation_token »")
        return jeton

    async def statut_participation(self, participation_id: str, statut: str) -> None:
        """The participation's new status; the tool answers the rdv, which we do not need."""
        corps = {"participation": {"status": statut}}
        await self.appeler("PATCH", f"/api/v1/participations/{participation_id}", json=corps)

    async def organisations(self, par_page: int = 100) -> AsyncIterator[dict[str, Any]]:
        """Every organisation the agent sees, page after page, following ``meta.next_page``."""
        page: int | None = 1
        while page is not None:
            body = await self.appeler(
                "GET", "/api/v1/organisations", params={"page": page, "per": par_page}
            )
            items, meta = body.get("organisations"), body.get("meta")
            if not isinstance(items, list) or not isinstance(meta, dict):
                raise indisponible(f"{NOM} a répondu une page sans « organisations » ni « meta »")
            for item in items:
                yield item
            suivante = meta.get("next_page")
            page = suivante if isinstance(suivante, int) and suivante > (page or 0) else None


def lien_de_reservation(url: str, outil: OutilDeReservation, jeton: str) -> str:
    """The tool's booking page for the invited person, with the parameters RDV-Insertion puts
    in its link (the person's address, which the tool uses to look for places nearby, stays
    out: the organisations' motifs are offered instead, the tool's own fallback)."""
    params = [("departement", outil.departement), ("invitation_token", jeton)]
    params += [("organisation_ids[]", str(i)) for i in outil.organisation_ids]
    if outil.categorie:
        params.append(("motif_category_short_name", outil.categorie))
    return f"{url.rstrip('/')}/prendre_rdv?{urlencode(params)}"


SUJET_LIEN = "Lien de prise de rendez-vous (RDV-Solidarités)"  # as the outbox records it


@dataclass(frozen=True)
class Envois:
    """How an invitation's message leaves: the SMS gateway, the mail, and their outbox."""

    sms: ClientPartenaire
    messagerie: Messagerie
    outbox: Outbox


class RdvSolidaritesActivities:
    def __init__(self, client: ClientRdvSolidarites, envois: Envois | None = None) -> None:
        self.client = client
        self.envois = envois

    @activity.defn(name="rdv_solidarites.envoyer_invitation")
    async def envoyer_invitation(self, appel: AppelPartenaire) -> dict[str, Any]:
        """The person's invitation token is asked here, put in the tool's booking link and sent:
        it never reaches the workflow, and the outbox records the subject only. Nothing comes
        back to open the platform's own booking page: the person books in the tool."""
        assert self.envois is not None, "le worker branche la passerelle SMS et la messagerie"
        demande = InvitationRdvSolidarites.model_validate(appel.donnees)
        if await self.envois.outbox.deja_envoye(appel.idempotence):
            return {"statut": "deja_envoye"}
        jeton = await self.client.jeton_invitation(demande.rdv_solidarites_id)
        lien = lien_de_reservation(self.client.url, demande.outil, jeton)
        if demande.courriel is not None:
            texte = demande.courriel.texte.replace(MARQUE_LIEN, lien)
            courriel = demande.courriel.model_copy(update={"texte": texte, "carnet": None})
            envoi = appel.model_copy(update={"donnees": courriel.model_dump(mode="json")})
            resultat = await self.envois.messagerie.envoyer(envoi)
            return {k: v for k, v in resultat.items() if k != "empreinte"}
        if demande.sms is None:
            raise refus("Invitation sans SMS ni courriel à envoyer")
        telephone = demande.sms.telephone
        await self.envois.sms.appeler(
            "POST",
            "/v1/messages",
            idempotence=appel.idempotence,
            json={"telephone": telephone, "texte": demande.sms.texte.replace(MARQUE_LIEN, lien)},
        )
        await self.envois.outbox.noter(
            appel.idempotence, "sms", telephone, SUJET_LIEN, parcours=appel.parcours_id
        )
        return {"statut": "envoye"}

    @activity.defn(name="rdv_solidarites.inscrire_usager")
    async def inscrire_usager(self, appel: AppelPartenaire) -> dict[str, Any]:
        """The person in the tool, then their invitation token: asked to check that the account
        can book, not returned (it would enter the history; sending it to the person is left
        to do). The tool's ``POST /api/v1/users`` takes no idempotency key."""
        demande = InscriptionRdvSolidarites.model_validate(appel.donnees)
        identifiant = await self.client.creer_usager(demande.usager)
        await self.client.jeton_invitation(identifiant)
        return UsagerInscrit(rdv_solidarites_id=identifiant).model_dump()

    @activity.defn(name="rdv_solidarites.transmettre_issue")
    async def transmettre_issue(self, appel: AppelPartenaire) -> dict[str, Any]:
        """The outcome the référent recorded, set on the person's participation in the tool
        (which notifies as when an agent sets it there). Setting the same status twice changes
        nothing: a retried call is harmless without an idempotency key."""
        issue = IssueRdvSolidarites.model_validate(appel.donnees)
        statut = STATUT_PARTICIPATION[issue.statut]
        await self.client.statut_participation(issue.participation_id, statut)
        return {"statut_outil": statut}
