"""Diagnostic socio-professionnel: the professional project and the eight freins périphériques."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from schemas.champ import ChampInvalide
from schemas.common import LabelledEnum, LongText, Model, Text
from schemas.metier import CodeRomeFacultatif


class Frein(LabelledEnum):
    SANTE = "sante", "Santé"
    FAMILLE = "famille", "Famille / garde d'enfants"
    MOBILITE = "mobilite", "Mobilité"
    LOGEMENT = "logement", "Logement"
    LANGUE = "langue", "Langue française"
    CONFIANCE = "confiance", "Confiance en soi / savoir-être"
    COMPETENCES = "competences", "Compétences de base / formation"
    NUMERIQUE = "numerique", "Numérique"


# Answers on these themes are health data (RGPD art. 9): recorded only with consent,
# shown only to the référent.
FREINS_SENSIBLES = frozenset({Frein.SANTE})


class NiveauFrein(LabelledEnum):
    AUCUN = "aucun", "Aucun"
    A_TRAVAILLER = "a_travailler", "À travailler"
    BLOQUANT = "bloquant", "Bloquant"


class SituationProfessionnelle(LabelledEnum):
    SANS_EMPLOI_INSCRIT = "sans_emploi_inscrit", "Sans emploi, inscrit à France Travail"
    SANS_EMPLOI_NON_INSCRIT = "sans_emploi_non_inscrit", "Sans emploi, non inscrit"
    EMPLOI_PRECAIRE = "emploi_precaire", "En emploi précaire ou à temps partiel subi"
    EN_FORMATION = "en_formation", "En formation"
    INACTIF = "inactif", "Sans activité depuis plus de deux ans"
    JAMAIS_TRAVAILLE = "jamais_travaille", "N'a jamais travaillé"


class NiveauFormation(LabelledEnum):
    INFRA_3 = "infra_3", "Sans diplôme (infra niveau 3)"
    NIVEAU_3 = "niveau_3", "CAP, BEP (niveau 3)"
    NIVEAU_4 = "niveau_4", "Baccalauréat (niveau 4)"
    NIVEAU_5 = "niveau_5", "Bac +2 (niveau 5)"
    NIVEAU_6_PLUS = "niveau_6_plus", "Bac +3 et plus (niveau 6 et plus)"


class Disponibilite(LabelledEnum):
    IMMEDIATE = "immediate", "Immédiate"
    SOUS_TROIS_MOIS = "sous_trois_mois", "Dans les trois mois"
    NON_DISPONIBLE = "non_disponible", "Pas disponible pour l'instant"


class Droits(Model):
    rsa: bool = False
    are: bool = Field(default=False, description="Allocation d'aide au retour à l'emploi")
    aah: bool = Field(default=False, description="Allocation aux adultes handicapés")
    rqth: bool = Field(default=False, description="RQTH / bénéficiaire de l'obligation d'emploi")


class ProjetProfessionnel(Model):
    metier_vise: Text | None = None
    code_rome: CodeRomeFacultatif = None


class EvaluationFrein(Model):
    frein: Frein
    niveau: NiveauFrein
    commentaire: LongText = ""


class Diagnostic(Model):
    """What the référent records with the person. Sent whole each time: re-diagnosis keeps
    the previous versions in the parcours and the timeline says what changed."""

    realise_le: date
    projet: ProjetProfessionnel
    situation: SituationProfessionnelle
    niveau_formation: NiveauFormation
    droits: Droits
    disponibilite: Disponibilite
    freins: list[EvaluationFrein] = Field(min_length=len(Frein), max_length=len(Frein))
    suivi_justice: bool | None = Field(
        default=None, description="Suivi PJJ/SPIP en cours (information sensible)"
    )
    commentaire_justice: LongText = ""

    @model_validator(mode="after")
    def _each_frein_once(self) -> Diagnostic:
        seen = [f.frein for f in self.freins]
        missing = [f.label for f in Frein if f not in seen]
        if missing or len(set(seen)) != len(seen):
            raise ChampInvalide(
                "freins",
                "Chacun des huit freins doit être évalué une fois"
                + (f" ; manquants : {', '.join(missing)}" if missing else ""),
            )
        order = list(Frein)
        self.freins.sort(key=lambda f: order.index(f.frein))  # canonical order eases comparison
        return self

    def niveau(self, frein: Frein) -> NiveauFrein:
        return next(f.niveau for f in self.freins if f.frein == frein)

    def freins_au_niveau(self, niveau: NiveauFrein) -> list[Frein]:
        return [f.frein for f in self.freins if f.niveau == niveau]

    def contient_sensible(self) -> bool:
        sensitive = any(
            f.frein in FREINS_SENSIBLES and (f.niveau != NiveauFrein.AUCUN or f.commentaire)
            for f in self.freins
        )
        return sensitive or self.suivi_justice is not None or bool(self.commentaire_justice)

    def sans_sensible(self) -> Diagnostic:
        """The same diagnostic with the sensitive answers blanked (for those not entitled)."""
        freins = [
            f.model_copy(update={"niveau": NiveauFrein.AUCUN, "commentaire": ""})
            if f.frein in FREINS_SENSIBLES
            else f
            for f in self.freins
        ]
        return self.model_copy(
            update={"freins": freins, "suivi_justice": None, "commentaire_justice": ""}
        )

    def changements_depuis(self, precedent: Diagnostic) -> list[str]:
        """French sentences describing what moved since the previous diagnostic."""
        changes = []
        for before, after in zip(precedent.freins, self.freins, strict=True):
            if before.niveau != after.niveau and after.frein not in FREINS_SENSIBLES:
                changes.append(
                    f"{after.frein.label} : {before.niveau.label} → {after.niveau.label}"
                )
        if precedent.situation != self.situation:
            changes.append(f"Situation : {self.situation.label}")
        if precedent.projet.code_rome != self.projet.code_rome:
            changes.append(f"Projet : {self.projet.metier_vise or self.projet.code_rome}")
        if precedent.droits != self.droits:
            changes.append("Droits mis à jour")
        return changes
