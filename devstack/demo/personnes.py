"""Realistic people, places and employers of Haute-Savoie for the demo (all invented)."""

from __future__ import annotations

import random

from schemas.common import Territoire
from schemas.entreprise import Entreprise

PRENOMS = [
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Sandrine",
    "Céline",
    "Aurélie",
    "Julie",
    "Sarah",
    "Inès",
    "Fatima",
    "Yasmina",
    "Laura",
    "Manon",
    "Chloé",
    "Océane",
    "Jessica",
    "Amandine",
    "Jean",
    "Philippe",
    "Stéphane",
    "David",
    "Nicolas",
    "Julien",
    "Mohamed",
    "Karim",
    "Yanis",
    "Kevin",
    "Thomas",
    "Lucas",
    "Enzo",
    "Dylan",
    "Rachid",
    "Sébastien",
    "Mathieu",
    "Anthony",
    "Ibrahima",
    "Mamadou",
    "Ahmed",
    "Christophe",
]
NOMS = [
    "Dupont",
    "Durand",
    "Lefebvre",
    "Moreau",
    "Simon",
    "Laurent",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Lemoine",
    "Benali",
    "Diallo",
    "Traoré",
    "Haddad",
    "Mansouri",
    "Pereira",
    "Da Silva",
    "Ferreira",
    "Ozturk",
    "Bouvier",
    "Favre",
    "Pollet",
]

COMMUNES: dict[Territoire, list[tuple[str, str]]] = {
    Territoire.BASSIN_ANNECIEN: [
        ("Annecy", "74000"),
        ("Seynod", "74600"),
        ("Cran-Gevrier", "74960"),
        ("Rumilly", "74150"),
        ("Faverges-Seythenex", "74210"),
        ("Épagny Metz-Tessy", "74330"),
    ],
    Territoire.GENEVOIS_FRANCAIS: [
        ("Annemasse", "74100"),
        ("Saint-Julien-en-Genevois", "74160"),
        ("Gaillard", "74240"),
        ("Ambilly", "74100"),
        ("Reignier-Ésery", "74930"),
        ("Cruseilles", "74350"),
    ],
    Territoire.CHABLAIS: [
        ("Thonon-les-Bains", "74200"),
        ("Évian-les-Bains", "74500"),
        ("Douvaine", "74140"),
        ("Sciez", "74140"),
        ("Abondance", "74360"),
    ],
    Territoire.VALLEE_ARVE: [
        ("Cluses", "74300"),
        ("Bonneville", "74130"),
        ("Sallanches", "74700"),
        ("Scionzier", "74950"),
        ("Marnaz", "74460"),
        ("Chamonix-Mont-Blanc", "74400"),
    ],
}

# (raison sociale, métier proposé, code ROME) by territory — décolletage in the Arve valley,
# hotels and ski resorts, logistics near Geneva, health and services around Annecy.
EMPLOYEURS: dict[Territoire, list[tuple[str, str, str]]] = {
    Territoire.BASSIN_ANNECIEN: [
        ("EHPAD Les Tilleuls", "Agent de service hospitalier", "J1301"),
        ("Aide à domicile du lac", "Aide à domicile", "K1302"),
        ("Boulangerie du Pâquier", "Vendeuse en boulangerie", "D1106"),
        ("Logistique des Aravis", "Préparateur de commandes", "N1103"),
    ],
    Territoire.GENEVOIS_FRANCAIS: [
        ("Transports du Salève", "Chauffeur-livreur", "N4105"),
        ("Entrepôts du Genevois", "Cariste", "N1101"),
        ("Nettoyage Léman Services", "Agent de propreté", "K2204"),
        ("Hypermarché d'Etrembières", "Employé de libre-service", "D1507"),
    ],
    Territoire.CHABLAIS: [
        ("Hôtel Royal Rive", "Femme de chambre", "G1501"),
        ("Restaurant Le Port", "Commis de cuisine", "G1602"),
        ("Eaux minérales du Chablais", "Agent de conditionnement", "H3302"),
        ("Espaces verts du Léman", "Jardinier paysagiste", "A1203"),
    ],
    Territoire.VALLEE_ARVE: [
        ("Décolletage Arve Industries", "Régleur sur tour", "H2912"),
        ("Usinage du Faucigny", "Opérateur sur commande numérique", "H2903"),
        ("Remontées mécaniques du Mont-Blanc", "Agent d'exploitation", "I1203"),
        ("Hôtel des Glaciers", "Serveur", "G1803"),
    ],
}


def siret(base: int) -> str:
    """A valid SIRET (Luhn key) built from a number."""
    body = f"{base:013d}"[-13:]
    for check in range(10):
        candidate = body + str(check)
        total = 0
        for index, char in enumerate(reversed(candidate)):
            digit = int(char) * (2 if index % 2 else 1)
            total += digit - 9 if digit > 9 else digit
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def employeur(rng: random.Random, territoire: Territoire) -> tuple[Entreprise, str, str]:
    index = rng.randrange(len(EMPLOYEURS[territoire]))
    nom, metier, rome = EMPLOYEURS[territoire][index]
    commune = COMMUNES[territoire][index % len(COMMUNES[territoire])][0]
    base = 3_282_932_000 + list(Territoire).index(territoire) * 100 + index
    return (
        Entreprise(
            siret=siret(base),
            raison_sociale=nom,
            etablissement=f"{nom}, {commune}",
            commune=commune,
        ),
        metier,
        rome,
    )
