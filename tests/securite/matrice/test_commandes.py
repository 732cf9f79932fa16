"""The commands of a parcours: by the API, on the closed twin (allowed means refused for being
closed, after every check, so that these rows change nothing), by the cockpit's forms, and
what helps fill a form in (the message's preview, the search of services). A command added to
the transition table has its row here (tests/workflows/test_coherence_commandes.py checks it)."""

from __future__ import annotations

from tests.fixtures.plateforme import Plateforme
from tests.securite.corps import commandes, formulaire
from tests.securite.matrice.commun import (
    CMD_COORDINATION,
    CMD_PAGE_COORDINATION,
    CMD_PAGE_PARTAGEE,
    CMD_PAGE_REFERENT,
    CMD_PARTAGEE,
    CMD_REFERENT,
    COMPTES,
    Cas,
    Lignes,
    Route,
    ecarts,
    ligne,
    refuse_car_clos,
    req,
)
from tests.securite.matrice.dossier import Contexte

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


FORMULAIRES_CMD = {  # flat commands, as the cockpit's forms post them
    "enregistrer_contact": CMD_PAGE_PARTAGEE,
    "regler_rappels": CMD_PAGE_REFERENT,
    "relancer_referent": CMD_PAGE_COORDINATION,
    "accuser_transfert": CMD_PAGE_REFERENT,
    "envoyer_message": CMD_PAGE_REFERENT,  # --- messages à la personne ---
}


def _commandes_api() -> Lignes:
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
        lignes[("POST", chemin)] = [
            Cas(nom, attendu, requete, ok=frozenset({409}), controle=refuse_car_clos)
        ]
    return lignes


LIGNES: Lignes = {
    **_commandes_api(),
    # The team's commands (issue 17): the référent's, on the closed twin.
    **{
        ("POST", f"/api/v1/parcours/{{parcours_id}}/{nom}"): [
            Cas(
                nom,
                CMD_REFERENT,
                req("POST", f"/api/v1/parcours/{{clos}}/{nom}", json=corps),
                ok=frozenset({409}),
                controle=refuse_car_clos,
            )
        ]
        for nom, corps in (
            ("ajouter-membre", {"compte_id": "ref-marc-roux", "role": "tuteur"}),
            ("retirer-membre", {"compte_id": COMPTES["membre"]}),
        )
    },
    # Convocation (issue 18): the référent of the parcours, on their own agenda; the command's
    # own route, tried on the closed parcours (refused, nothing written). The agenda's route:
    # test_agendas.py.
    ("POST", "/api/v1/parcours/{parcours_id}/convoquer-rdv"): [
        Cas(
            "convoquer_rdv",
            CMD_REFERENT,
            req("POST", "/api/v1/parcours/{clos}/convoquer-rdv", json={"reservation_id": "resa-x"}),
            ok=frozenset({409}),
            controle=refuse_car_clos,
        )
    ],
    # --- connecteur rdv-solidarites ---
    # Registering the person in the tool: the référent's command, asked on the closed twin.
    ("POST", "/api/v1/parcours/{parcours_id}/inscrire-rdv-solidarites"): [
        Cas(
            "inscrire_rdv_solidarites",
            CMD_REFERENT,
            req(
                "POST",
                "/api/v1/parcours/{clos}/inscrire-rdv-solidarites",
                json={"organisation_id": 352},
            ),
            ok=frozenset({409}),
            controle=refuse_car_clos,
        )
    ],
    # The cockpit's forms of the flat commands.
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
            controle=refuse_car_clos,
        )
        for nom, attendu in FORMULAIRES_CMD.items()
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
    # --- connecteur data·inclusion ---
    # The search of the offer above « Prescrire une action »: whoever may prescribe (the référent).
    ("GET", "/parcours/{parcours_id}/services"): [
        Cas(
            "recherche de services data·inclusion",
            CMD_PAGE_REFERENT,
            req("GET", "/parcours/{pid}/services", params={"thematique": "mobilite"}, htmx=True),
        )
    ],
}


async def test_matrice(plateforme: Plateforme, contexte: Contexte, route: Route) -> None:
    """One test per row of this file (conftest.py)."""
    probleme = await ecarts(plateforme, contexte, route, LIGNES[route])
    assert not probleme, probleme
