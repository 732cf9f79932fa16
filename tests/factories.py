"""Test data named after the situations of the field."""

from __future__ import annotations

from datetime import date, timedelta

from schemas.common import Acteur, Organisme, Role, Territoire
from schemas.diagnostic import (
    Diagnostic,
    Disponibilite,
    Droits,
    EvaluationFrein,
    Frein,
    NiveauFormation,
    NiveauFrein,
    ProjetProfessionnel,
    SituationProfessionnelle,
)
from schemas.parcours import Accueil, OrigineAccueil
from schemas.usager import Consentement, IdentifiantsPartenaires, Usager

CLAIRE = Acteur(
    id="ref-claire-martin",
    nom="Claire Martin",
    role=Role.REFERENT,
    organisme=Organisme.CONSEIL_DEPARTEMENTAL,
    territoire=Territoire.BASSIN_ANNECIEN,
)
KARIM = Acteur(
    id="ref-karim-benali",
    nom="Karim Benali",
    role=Role.REFERENT,
    organisme=Organisme.FRANCE_TRAVAIL,
    territoire=Territoire.BASSIN_ANNECIEN,
)
LEA = Acteur(
    id="ref-lea-dubois",
    nom="Léa Dubois",
    role=Role.REFERENT,
    organisme=Organisme.MISSION_LOCALE,
    territoire=Territoire.BASSIN_ANNECIEN,
)
SOPHIE = Acteur(
    id="ref-sophie-girard",
    nom="Sophie Girard",
    role=Role.REFERENT,
    organisme=Organisme.CONSEIL_DEPARTEMENTAL,
    territoire=Territoire.BASSIN_ANNECIEN,
)
MARC = Acteur(
    id="ref-marc-roux",
    nom="Marc Roux",
    role=Role.REFERENT,
    organisme=Organisme.CAP_EMPLOI,
    territoire=Territoire.BASSIN_ANNECIEN,
)
NADIA = Acteur(
    id="ref-nadia-perrin",
    nom="Nadia Perrin",
    role=Role.REFERENT,
    organisme=Organisme.CAP_EMPLOI,
    territoire=Territoire.BASSIN_ANNECIEN,
)
COORDINATRICE = Acteur(
    id="coord-annecy",
    nom="Anne Coordination",
    role=Role.COORDINATEUR,
    territoire=Territoire.BASSIN_ANNECIEN,
)
COORDINATEUR_CHABLAIS = Acteur(
    id="coord-chablais", nom="Paul Chablais", role=Role.COORDINATEUR, territoire=Territoire.CHABLAIS
)


def usager(
    *,
    naissance: date = date(1984, 3, 12),
    telephone: str | None = "06 12 34 56 78",
    email: str | None = "marie.dupont@example.org",
) -> Usager:
    return Usager(
        nom="Dupont",
        prenom="Marie",
        date_naissance=naissance,
        telephone=telephone,
        email=email,
        code_postal="74000",
        commune="Annecy",
    )


def accueil_rsa(
    jour: date,
    *,
    territoire: Territoire = Territoire.BASSIN_ANNECIEN,
    caf: str | None = None,
    consentement_sensible: bool = True,
    partage: bool = True,
    naissance: date = date(1984, 3, 12),
    telephone: str = "06 12 34 56 78",
) -> Accueil:
    """Allocataire du RSA orientée par la CAF, accueillie le jour donné."""
    return Accueil(
        accueilli_le=jour,
        usager=usager(naissance=naissance, telephone=telephone),
        territoire=territoire,
        origine=OrigineAccueil.CAF,
        identifiants=IdentifiantsPartenaires(caf=caf),
        consentement=Consentement(
            partage_partenaires=partage, themes_sensibles=consentement_sensible, recueilli_le=jour
        ),
    )


def diagnostic(
    jour: date,
    *,
    bloquants: tuple[Frein, ...] = (),
    a_travailler: tuple[Frein, ...] = (),
    rqth: bool = False,
    rsa: bool = True,
    situation: SituationProfessionnelle = SituationProfessionnelle.SANS_EMPLOI_INSCRIT,
    disponibilite: Disponibilite = Disponibilite.IMMEDIATE,
    commentaire_sante: str = "",
) -> Diagnostic:
    freins = []
    for f in Frein:
        niveau = (
            NiveauFrein.BLOQUANT
            if f in bloquants
            else NiveauFrein.A_TRAVAILLER
            if f in a_travailler
            else NiveauFrein.AUCUN
        )
        commentaire = commentaire_sante if f == Frein.SANTE else ""
        freins.append(EvaluationFrein(frein=f, niveau=niveau, commentaire=commentaire))
    return Diagnostic(
        realise_le=jour,
        projet=ProjetProfessionnel(metier_vise="Aide à domicile", code_rome="K1302"),
        situation=situation,
        niveau_formation=NiveauFormation.NIVEAU_3,
        droits=Droits(rsa=rsa, rqth=rqth),
        disponibilite=disponibilite,
        freins=freins,
    )


def plus(jour: date, jours: int) -> date:
    return jour + timedelta(days=jours)
