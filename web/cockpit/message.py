"""The message to the person, in the dossier: a template fills the form, and the preview shows
the text as the person will receive it, with what an SMS costs. The sending itself is the
command « envoyer_message » (the generic form of web/cockpit/commandes.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from core.sms import compter
from schemas.appels import MARQUE_LIEN
from schemas.messages import (
    CHAMPS,
    LIEN_CARNET,
    MODELES,
    CanalMessage,
    ModeleMessage,
    champs_inconnus,
    remplir,
    sans_secret,
)
from services.utilisateur import Utilisateur
from web.cockpit import pages
from web.deps import ParcoursDep, UtilisateurPage
from web.erreurs import Refus
from workflows.etapes.messages import SMS_MAX, valeurs
from workflows.transitions import TRANSITIONS, qualites, reserve_a

router = APIRouter(include_in_schema=False)
COMMANDE = "envoyer_message"
# A carnet link counted at its real length: the public address, « /carnet/ », and a secret of
# 43 characters (secrets.token_urlsafe(32)), all in the GSM alphabet.
SECRET_LONGUEUR = 43


def appliquer_modele(v: dict[str, Any]) -> dict[str, Any]:
    """The form reloaded after a template was chosen: its subject and text replace the typed
    ones (« Message libre » keeps what was typed)."""
    try:
        modele = ModeleMessage(v.get("modele") or ModeleMessage.LIBRE)
    except ValueError:
        return v
    if modele == ModeleMessage.LIBRE:
        return v
    sujet, texte = MODELES[modele]
    return v | {"sujet": sujet, "texte": texte}


def _reserve_au_referent(u: Utilisateur, s: Any) -> None:
    t = TRANSITIONS[COMMANDE]
    if not qualites(u.acteur, s) & t.qui:
        raise Refus(403, f"« {t.libelle} » est réservé {reserve_a(t.qui)}", "interdit")


@router.post("/parcours/{parcours_id}/message/apercu")
async def apercu(
    parcours_id: str, request: Request, u: UtilisateurPage, parcours: ParcoursDep
) -> Response:
    """Nothing is sent nor written: the text filled from the dossier, and its SMS count."""
    try:
        s = await pages.etat(parcours, u, parcours_id)
        _reserve_au_referent(u, s)
    except Refus as err:
        return pages.alerte(request, err.message, status=err.status)
    form = await request.form()
    texte = str(form.get("texte") or "")[:2000]
    canal = CanalMessage.COURRIEL if form.get("canal") == "courriel" else CanalMessage.SMS
    rempli, manquants = remplir(texte, valeurs(s, datetime.now(UTC)))
    public = request.app.state.services.settings.effective_public_url.rstrip("/")
    lien = f"{public}/carnet/{'x' * SECRET_LONGUEUR}"
    envoye = rempli.replace(MARQUE_LIEN, lien)
    contexte = {
        "canal": canal,
        "affiche": sans_secret(rempli),
        "compte": compter(envoye) if canal == CanalMessage.SMS else None,
        "inconnus": champs_inconnus(texte),
        "manquants": [(m, CHAMPS[m]) for m in manquants],
        "champs": CHAMPS,
        "avec_lien": f"{{{LIEN_CARNET}}}" in texte,
        "trop_long": canal == CanalMessage.SMS and len(envoye) > SMS_MAX,
        "sms_max": SMS_MAX,
    }
    return pages.rendre(request, "parcours/formulaires/_apercu_message.html", contexte)
