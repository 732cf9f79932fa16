"""Fault 5: partner events delivered twice (some twins at the same instant) and in the reverse
of their order. Two parcours in the same situation receive the same facts — one cleanly, one
by that messy delivery — and end in the same state: same known situation, same breaks to
handle, same appointments, each fact applied once.

What may differ, by design: a fact older than the one already known is noted « antérieur,
sans effet » instead of being applied then overtaken, so the clean parcours also keeps the
trace of a break that a later fact closed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from schemas.parcours import ParcoursState
from tests.api import donnees
from tests.fiabilite.parcours import (
    JUSQU_A_LA_SORTIE,
    KARIM,
    Personne,
    au_repos,
    commander,
    etat,
    evenement,
    ouvrir,
    publier,
    suivre,
)
from tests.fiabilite.systeme import Systeme, attendre

pytestmark = pytest.mark.fiabilite

EN_CONTRAT = JUSQU_A_LA_SORTIE[:5]
# What the partners say about one person, in the order it happened (hours ago).
FAITS: list[tuple[str, str, str, int]] = [  # partner, type, subject kind, hours ago
    ("france-travail", "fr.france-travail.demandeur.inscrit", "france_travail", 6),
    ("caf", "fr.caf.rsa.droits-ouverts", "caf", 5),
    ("france-travail", "fr.france-travail.demandeur.radie", "france_travail", 4),
    ("caf", "fr.caf.rsa.droits-suspendus", "caf", 3),
    ("france-travail", "fr.france-travail.demandeur.inscrit", "france_travail", 2),
    ("rdv", "fr.rdv.rdv.honore", "rdv", 1),
]
# The messy delivery: newest first, everything twice, twins sent at the same instant.
DESORDRE = [[5, 5], [4], [3, 3], [4, 2], [1, 1], [2], [0, 0], [3]]


def _faits(
    s: Systeme, p: Personne, rdv_id: str, rdv_le: datetime, maintenant: datetime
) -> list[dict[str, Any]]:
    """The same facts for this person (their identifiers, fresh event ids)."""
    evenements = []
    for partenaire, type_, sujet, heures in FAITS:
        moment = maintenant - timedelta(hours=heures)
        jour = moment.date().isoformat()
        data: dict[str, Any] = {
            "fr.france-travail.demandeur.inscrit": {"date_inscription": jour},
            "fr.caf.rsa.droits-ouverts": {"date_effet": jour},
            "fr.rdv.rdv.honore": {"rdv_id": rdv_id, "date_heure": rdv_le.isoformat()},
        }.get(type_, {"date": jour, "motif": "Motif transmis par le partenaire"})
        cle = {"france_travail": p.france_travail, "caf": p.caf, "rdv": rdv_id}[sujet]
        evenements.append(evenement(s, partenaire, type_, cle, data, moment=moment))
    return evenements


async def _en_contrat_avec_rdv(s: Systeme) -> tuple[str, Personne, ParcoursState]:
    p = Personne.nouvelle()
    async with s.http(KARIM) as http:
        pid = await ouvrir(http, p)
        await suivre(http, pid, EN_CONTRAT)
        rdv = await commander(http, pid, "planifier_rdv", donnees.rdv_demain(datetime.now().date()))
        assert rdv.status_code == 200, rdv.text
    return pid, p, await au_repos(s, pid)


async def _livrer(s: Systeme, partenaire: str, ev: dict[str, Any]) -> str:
    reponse = await publier(s, partenaire, ev)
    assert reponse.status_code == 202, reponse.text
    return str(reponse.json()["status"])


def _situation(st: ParcoursState, ids: list[str]) -> dict[str, Any]:
    """What the parcours knows and what it asks of people, event ids as their rank in FAITS."""
    rang = {id_: n for n, id_ in enumerate(ids)}
    return {
        "phase": st.phase,
        "statut": st.statut,
        "situation": {
            fait: (f.valeur, f.depuis, rang[f.evenement_id])
            for fait, f in sorted(st.situation_partenaires.items())
        },
        "a_traiter": sorted(
            (sig.type, sig.le, rang[sig.evenement_id])
            for sig in st.signalements
            if sig.traite_le is None
        ),
        "alertes": sorted((a.code, a.severite, a.depuis) for a in st.alertes),
        "rdvs": [(r.statut, r.date_heure) for r in st.rdvs],
        "contacts": sorted((c.le, c.mode) for c in st.contacts),
        "appliques": sorted(rang[i] for i in st.evenements_appliques),
        "lignes": sorted(
            rang[e.details["evenement_id"]] for e in st.timeline if "evenement_id" in e.details
        ),
    }


async def test_doublons_et_desordre_meme_etat_final(systeme: Systeme) -> None:
    s = systeme
    (propre, pp, sp), (brouille, pb, sb) = await asyncio.gather(
        _en_contrat_avec_rdv(s), _en_contrat_avec_rdv(s)
    )
    maintenant = datetime.now(UTC).replace(microsecond=0)
    faits_propres = _faits(s, pp, sp.rdvs[0].id, sp.rdvs[0].date_heure, maintenant)
    faits_brouilles = _faits(s, pb, sb.rdvs[0].id, sb.rdvs[0].date_heure, maintenant)

    for n, ev in enumerate(faits_propres):  # one by one, each applied before the next
        assert await _livrer(s, FAITS[n][0], ev) == "accepted"

        async def applique(id_: str = ev["id"]) -> bool:
            return id_ in (await etat(s, propre)).evenements_appliques

        await attendre(applique, f"fait n° {n} appliqué", 30, 0.2)

    statuts: list[str] = []
    for vague in DESORDRE:
        statuts += await asyncio.gather(
            *(_livrer(s, FAITS[n][0], faits_brouilles[n]) for n in vague)
        )
    envois = sum(len(v) for v in DESORDRE)
    assert statuts.count("accepted") == len(FAITS)  # the first of each id; the others: duplicate

    async def tous_appliques() -> bool:
        st = await etat(s, brouille)
        return len(st.evenements_appliques) == len(FAITS)

    await attendre(tous_appliques, "faits désordonnés tous appliqués", 60, 0.5)
    final_propre, final_brouille = await au_repos(s, propre), await au_repos(s, brouille)
    attendu = _situation(final_propre, [e["id"] for e in faits_propres])
    obtenu = _situation(final_brouille, [e["id"] for e in faits_brouilles])
    assert obtenu == attendu
    assert attendu["appliques"] == attendu["lignes"] == list(range(len(FAITS)))  # each once
    assert attendu["situation"]["inscription_france_travail"][0] == "inscrit"
    assert attendu["a_traiter"][0][0] == "fr.caf.rsa.droits-suspendus"
    print(
        f"\n[fiabilité] événements : {len(FAITS)} faits livrés dans l'ordre à un parcours, "
        f"{envois} envois dans le désordre (dont {envois - len(FAITS)} doublons, certains "
        f"simultanés) à l'autre ; {statuts.count('duplicate')} réponses « duplicate », "
        "même situation finale, chaque fait appliqué une fois"
    )
