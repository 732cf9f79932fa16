"""Extract of the ROME (Répertoire opérationnel des métiers et des emplois, France Travail):
the trades most often aimed at in Haute-Savoie's parcours d'insertion. Code → label.

Kept as a Python constant so that workflows can validate codes without any I/O.
"""

from __future__ import annotations

METIERS: dict[str, str] = {
    "A1101": "Conduite d'engins agricoles et forestiers",
    "A1203": "Aménagement et entretien des espaces verts",
    "A1405": "Arboriculture et viticulture",
    "A1407": "Élevage bovin ou équin",
    "D1101": "Boucherie",
    "D1102": "Boulangerie - viennoiserie",
    "D1106": "Vente en alimentation",
    "D1214": "Vente en habillement et accessoires de la personne",
    "D1505": "Personnel de caisse",
    "D1507": "Mise en rayon libre-service",
    "F1602": "Électricité bâtiment",
    "F1603": "Installation d'équipements sanitaires et thermiques",
    "F1606": "Peinture en bâtiment",
    "F1701": "Construction en béton",
    "F1703": "Maçonnerie",
    "G1201": "Accompagnement de voyages, d'activités culturelles ou sportives",
    "G1204": "Éducation en activités sportives",
    "G1501": "Personnel d'étage",
    "G1502": "Personnel polyvalent d'hôtellerie",
    "G1602": "Personnel de cuisine",
    "G1603": "Personnel polyvalent en restauration",
    "G1703": "Réception en hôtellerie",
    "G1801": "Café, bar brasserie",
    "G1803": "Service en restauration",
    "H2903": "Conduite d'équipement d'usinage",
    "H2909": "Montage-assemblage mécanique",
    "H2912": "Réglage d'équipement de production industrielle",
    "H2913": "Soudage manuel",
    "H3302": "Opérations manuelles d'assemblage, tri ou emballage",
    "I1203": "Maintenance des bâtiments et des locaux",
    "I1604": "Mécanique automobile et entretien de véhicules",
    "J1301": "Personnel polyvalent des services hospitaliers",
    "J1501": "Soins d'hygiène, de confort du patient",
    "K1302": "Assistance auprès d'adultes",
    "K1303": "Assistance auprès d'enfants",
    "K1304": "Services domestiques",
    "K2111": "Formation professionnelle",
    "K2204": "Nettoyage de locaux",
    "K2503": "Sécurité et surveillance privées",
    "M1203": "Comptabilité",
    "M1602": "Opérations administratives",
    "M1607": "Secrétariat",
    "M1801": "Administration de systèmes d'information",
    "M1805": "Études et développement informatique",
    "N1101": "Conduite d'engins de déplacement des charges",
    "N1103": "Magasinage et préparation de commandes",
    "N1105": "Manutention manuelle de charges",
    "N4101": "Conduite de transport de marchandises sur longue distance",
    "N4105": "Conduite et livraison par tournées sur courte distance",
    "N4102": "Conduite de transport de particuliers",
}


def libelle_metier(code: str) -> str:
    return METIERS.get(code, code)
