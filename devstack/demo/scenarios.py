"""Demo parcours: from a seed, the accueil and the dated commands that lead a person to a
phase — with, for some, what the vigie must catch (lateness, silence, missed rdv…)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel

from core.clock import PARIS
from devstack.demo import comptes
from devstack.demo.personnes import COMMUNES, NOMS, PRENOMS, employeur
from referentiels.catalogue import rechercher
from schemas.action import DemandeAction
from schemas.common import Organisme, Territoire
from schemas.contrat import (
    Objectif,
    RedactionContrat,
    Signataire,
    SignatureContrat,
    TypeContrat,
    add_months,
)
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
from schemas.emploi import DeclarationEmbauche, DeroulementSuivi, PointSuivi, TypeContratTravail
from schemas.orientation import DecisionOrientation, TypeOrientation
from schemas.parcours import Accueil, OrigineAccueil, Phase
from schemas.pmsmp import (
    ConventionPmsmp,
    ObjectifPmsmp,
    SignatairePmsmp,
    SignaturePmsmp,
    Tuteur,
    ValidationPmsmp,
)
from schemas.rdv import Contact, ModeContact, ModeRdv, PlanificationRdv, ResultatRdv, StatutRdv
from schemas.referent import AccuseTransfert, DemandeTransfert
from schemas.sortie import MotifSortie, Sortie
from schemas.usager import Consentement, IdentifiantsPartenaires, Usager

PHASES_CIBLES = (
    [Phase.ACCUEIL] * 10
    + [Phase.DIAGNOSTIC] * 10
    + [Phase.ORIENTATION] * 15
    + [Phase.CONTRAT] * 30
    + [Phase.PMSMP] * 8
    + [Phase.EMPLOI] * 15
    + [Phase.SORTIE] * 12
)
ORGANISMES = (
    [Organisme.CONSEIL_DEPARTEMENTAL] * 3
    + [Organisme.FRANCE_TRAVAIL] * 3
    + [Organisme.MISSION_LOCALE] * 2
    + [Organisme.CAP_EMPLOI, Organisme.SIAE, Organisme.PLIE]
)
CONTRATS = {
    Organisme.CONSEIL_DEPARTEMENTAL: TypeContrat.CER,
    Organisme.FRANCE_TRAVAIL: TypeContrat.PPAE,
    Organisme.MISSION_LOCALE: TypeContrat.CEJ,
    Organisme.CAP_EMPLOI: TypeContrat.PPAE,
    Organisme.SIAE: TypeContrat.CER,
    Organisme.PLIE: TypeContrat.CER,
}
# Which thématique of the offer answers which frein (the demo prescribes from the catalogue).
ACTIONS = {
    "lecture-ecriture-calcul": Frein.LANGUE,
    "mobilite": Frein.MOBILITE,
    "famille": Frein.FAMILLE,
    "numerique": Frein.NUMERIQUE,
    "remobilisation": Frein.CONFIANCE,
}


@dataclass
class Etape:
    commande: str
    donnees: BaseModel
    compte_id: str
    le: date
    dernier_rdv: bool = False


@dataclass
class Scenario:
    numero: int
    territoire: Territoire
    cible: Phase
    accueil: Accueil
    compte_accueil: str
    etapes: list[Etape] = field(default_factory=list)


class Fabrique:
    """Builds one scenario; every date is relative to ``today`` so the demo stays current."""

    def __init__(self, numero: int, today: date) -> None:
        self.rng = random.Random(7400 + numero)
        self.numero, self.today = numero, today
        self.territoire = list(Territoire)[numero % 4]
        self.cible = self.rng.choice(PHASES_CIBLES)
        self.organisme = self.rng.choice(ORGANISMES)
        self.anomalie = self.rng.random() < 0.3
        self.referent = self.rng.choice(comptes.referents(self.territoire, self.organisme)).id
        self.accueillant = comptes.referents(self.territoire, Organisme.CONSEIL_DEPARTEMENTAL)[0].id
        self.etapes: list[Etape] = []

    def jour(self, days_ago: int) -> date:
        return self.today - timedelta(days=max(days_ago, 0))

    def ajouter(
        self, commande: str, donnees: BaseModel, le: date, compte: str | None = None
    ) -> None:
        self.etapes.append(Etape(commande, donnees, compte or self.referent, le))

    # --- the person -------------------------------------------------------------------

    def accueil(self, le: date) -> Accueil:
        jeune = self.organisme == Organisme.MISSION_LOCALE
        age = self.rng.randint(18, 24) if jeune else self.rng.randint(27, 58)
        naissance = date(le.year - age, self.rng.randint(1, 12), self.rng.randint(1, 28))
        commune, cp = self.rng.choice(COMMUNES[self.territoire])
        prenom, nom = self.rng.choice(PRENOMS), self.rng.choice(NOMS)
        caf = f"{9 if self.rng.random() < 0.04 else 1}{self.rng.randint(0, 999999):06d}"
        return Accueil(
            accueilli_le=le,
            territoire=self.territoire,
            origine=OrigineAccueil.MISSION_LOCALE
            if jeune
            else self.rng.choice(list(OrigineAccueil)),
            usager=Usager(
                nom=nom,
                prenom=prenom,
                date_naissance=naissance,
                telephone=f"06 {self.rng.randint(10, 99)} {self.rng.randint(10, 99)} "
                f"{self.rng.randint(10, 99)} {self.rng.randint(10, 99)}",
                email=f"{prenom.lower()}.{nom.lower().replace(' ', '')}{self.numero}@example.org"
                if self.rng.random() < 0.7
                else None,
                code_postal=cp,
                commune=commune,
            ),
            identifiants=IdentifiantsPartenaires(
                caf=caf if self.rng.random() < 0.5 else None,
                france_travail=f"{self.rng.randint(1000000, 9999999)}{self.rng.choice('ABCDEFGHJK')}"
                if self.rng.random() < 0.6
                else None,
            ),
            consentement=Consentement(
                partage_partenaires=self.rng.random() < 0.9,
                themes_sensibles=self.rng.random() < 0.6,
                recueilli_le=le,
            ),
        )

    def diagnostic(self, le: date, sensible: bool) -> Diagnostic:
        o = self.organisme
        bloquants = {Organisme.CONSEIL_DEPARTEMENTAL: [Frein.LOGEMENT, Frein.MOBILITE]}.get(o, [])
        travail = (
            [Frein.NUMERIQUE, Frein.CONFIANCE, Frein.COMPETENCES]
            if o == Organisme.PLIE
            else [Frein.MOBILITE]
        )
        freins = [
            EvaluationFrein(
                frein=f,
                niveau=NiveauFrein.BLOQUANT
                if f in bloquants
                else NiveauFrein.A_TRAVAILLER
                if f in travail
                else NiveauFrein.AUCUN,
            )
            for f in Frein
        ]
        if sensible and self.rng.random() < 0.3 and o != Organisme.CONSEIL_DEPARTEMENTAL:
            freins[0] = EvaluationFrein(
                frein=Frein.SANTE,
                niveau=NiveauFrein.A_TRAVAILLER,
                commentaire="Suivi médical en cours, fatigue chronique",
            )
        situation = (
            SituationProfessionnelle.INACTIF
            if o == Organisme.SIAE
            else SituationProfessionnelle.SANS_EMPLOI_INSCRIT
        )
        _, metier, rome = employeur(self.rng, self.territoire)
        return Diagnostic(
            realise_le=le,
            projet=ProjetProfessionnel(metier_vise=metier, code_rome=rome),
            situation=situation,
            niveau_formation=self.rng.choice(list(NiveauFormation)),
            droits=Droits(
                rsa=o == Organisme.CONSEIL_DEPARTEMENTAL or self.rng.random() < 0.4,
                rqth=o == Organisme.CAP_EMPLOI,
            ),
            disponibilite=Disponibilite.IMMEDIATE,
            freins=freins,
        )

    # --- the path -----------------------------------------------------------------------

    def construire(self) -> Scenario:
        c = self.cible
        if c == Phase.ACCUEIL:
            accueil = self.jour(
                self.rng.randint(20, 40) if self.anomalie else self.rng.randint(1, 10)
            )
            return self._scenario(accueil)
        if c == Phase.DIAGNOSTIC:
            diag = self.jour(self.rng.randint(33, 50) if self.anomalie else self.rng.randint(2, 20))
            accueil = diag - timedelta(days=self.rng.randint(4, 12))
            scenario = self._scenario(accueil)
            self._diagnostic(diag)
            return self._fin(scenario)
        if c == Phase.ORIENTATION:
            orientation = self.jour(
                self.rng.randint(35, 50) if self.anomalie else self.rng.randint(2, 25)
            )
            scenario = self._jusqu_a_orientation(orientation)
            if self.rng.random() < 0.4:
                self._contrat(orientation + timedelta(days=1), signe=False)
            return self._fin(scenario)
        signature = self.jour(
            self.rng.randint(60, 300) if c != Phase.CONTRAT else self.rng.randint(20, 250)
        )
        if self.anomalie and c == Phase.CONTRAT:
            signature = self.jour(self.rng.randint(130, 210))
        scenario = self._jusqu_a_orientation(signature - timedelta(days=self.rng.randint(5, 20)))
        self._contrat(signature)
        self._actions(signature)
        if c == Phase.CONTRAT:
            self._vie_du_contrat(signature)
        elif c == Phase.PMSMP:
            self._pmsmp()
        elif c == Phase.EMPLOI:
            self._emploi(signature)
        else:
            self._sortie(signature)
        return self._fin(scenario)

    def _scenario(self, accueil: date) -> Scenario:
        self.scenario = Scenario(
            self.numero, self.territoire, self.cible, self.accueil(accueil), self.accueillant
        )
        # the person is first received at the PMS, then oriented to the right organisme
        self.referent_accueil = self.accueillant
        return self.scenario

    def _fin(self, scenario: Scenario) -> Scenario:
        scenario.etapes = self.etapes
        return scenario

    def _diagnostic(self, le: date) -> None:
        sensible = self.scenario.accueil.consentement.themes_sensibles
        self.ajouter("enregistrer_diagnostic", self.diagnostic(le, sensible), le, self.accueillant)

    def _jusqu_a_orientation(self, orientation: date) -> Scenario:
        diag = orientation - timedelta(days=self.rng.randint(5, 20))
        scenario = self._scenario(diag - timedelta(days=self.rng.randint(4, 12)))
        self._diagnostic(diag)
        decision = DecisionOrientation(
            decidee_le=orientation,
            type=self._type(),
            organisme=self.organisme,
            referent_id=self.referent,
            motif_ecart="Choix de la personne après échange avec la commission",
        )
        self.ajouter("decider_orientation", decision, orientation, self.accueillant)
        return scenario

    def _type(self) -> TypeOrientation:
        return {
            Organisme.CONSEIL_DEPARTEMENTAL: TypeOrientation.SOCIALE,
            Organisme.SIAE: TypeOrientation.SOCIO_PROFESSIONNELLE,
            Organisme.PLIE: TypeOrientation.SOCIO_PROFESSIONNELLE,
            Organisme.MISSION_LOCALE: TypeOrientation.PROFESSIONNELLE,
        }.get(self.organisme, TypeOrientation.PROFESSIONNELLE)

    def _contrat(self, le: date, *, signe: bool = True) -> None:
        months = (
            6
            if (self.today - le).days < 150
            or (self.anomalie and self.cible == Phase.CONTRAT and self.rng.random() < 0.3)
            else 12
        )
        contrat_type = CONTRATS[self.organisme]
        redaction = RedactionContrat(
            type=contrat_type,
            date_debut=le,
            date_fin=add_months(le, months),
            objectifs=[
                Objectif(libelle="Lever les freins à la mobilité", frein=Frein.MOBILITE),
                Objectif(libelle="Retrouver un emploi dans le métier visé"),
            ],
            engagements_usager="Participer aux rendez-vous et aux actions prévues",
            engagements_referent="Accompagner la personne et coordonner les partenaires",
        )
        self.ajouter("rediger_contrat", redaction, le)
        self.ajouter(
            "signer_contrat", SignatureContrat(signataire=Signataire.USAGER, signe_le=le), le
        )
        if signe:
            self.ajouter(
                "signer_contrat", SignatureContrat(signataire=Signataire.REFERENT, signe_le=le), le
            )

    def _actions(self, le: date) -> None:
        for theme in self.rng.sample(sorted(ACTIONS), self.rng.randint(0, 2)):
            offres = rechercher(thematique=theme, territoire=self.territoire)
            if offres:
                self.ajouter(
                    "prescrire_action",
                    DemandeAction(
                        service_id=self.rng.choice(offres).service.id,
                        frein=ACTIONS[theme],
                        debut_prevu=le + timedelta(days=10),
                    ),
                    le,
                )

    def _contact(self, le: date) -> None:
        self.ajouter(
            "enregistrer_contact",
            Contact(le=le, mode=self.rng.choice(list(ModeContact)[:3]), objet="Point d'étape"),
            le,
        )

    def _rdv(self, le: date, heure: int, statut: StatutRdv | None) -> None:
        moment = datetime.combine(le, time(heure, 30), tzinfo=PARIS)
        self.ajouter(
            "planifier_rdv",
            PlanificationRdv(
                date_heure=moment,
                mode=ModeRdv.SUR_PLACE,
                lieu="Pôle médico-social, bureau 2",
                professionnel="Référent de parcours",
                objet="Point sur le contrat d'engagement",
            ),
            le,
        )
        if statut is not None:
            # the rdv's id is given by the workflow: the loader fills it in (dernier_rdv)
            self.etapes.append(
                Etape(
                    "renseigner_rdv",
                    ResultatRdv(rdv_id="dernier", statut=statut),
                    self.referent,
                    le,
                    dernier_rdv=True,
                )
            )

    def _vie_du_contrat(self, signature: date) -> None:
        kind = (
            self.rng.choice(["silence45", "silence90", "rdv", "transfert", "echu"])
            if self.anomalie
            else ""
        )
        if kind == "silence45":
            self._contact(self.jour(self.rng.randint(50, 80)))
        elif kind == "silence90":
            self._contact(self.jour(self.rng.randint(95, 120)))
        elif kind == "rdv":
            self._contact(self.jour(25))
            self._rdv(self.jour(20), 9, StatutRdv.NON_HONORE)
            self._rdv(self.jour(10), 14, StatutRdv.NON_HONORE)
        elif kind == "transfert":
            self._contact(self.jour(12))
            self._transfert(self.jour(self.rng.randint(9, 20)), accuse=False)
        else:
            self._contact(self.jour(self.rng.randint(1, 30)))
        if not kind and self.rng.random() < 0.45:
            self._rdv(
                self.today + timedelta(days=self.rng.randint(1, 9)),
                self.rng.choice([9, 10, 14, 15]),
                None,
            )

    def _transfert(self, le: date, *, accuse: bool) -> None:
        others = [
            c.id
            for c in comptes.referents(self.territoire, self.organisme)
            if c.id != self.referent
        ]
        if not others:
            return
        nouveau = others[0]
        self.ajouter(
            "transferer_referent",
            DemandeTransfert(nouveau_referent_id=nouveau, motif="Rééquilibrage des portefeuilles"),
            le,
        )
        if accuse:
            self.ajouter("accuser_transfert", AccuseTransfert(accuse_le=le), le, nouveau)
        self.referent = nouveau

    def _pmsmp(self) -> None:
        debut = self.jour(25) if self.anomalie else self.jour(self.rng.randint(1, 8))
        duree = 10 if self.anomalie else self.rng.randint(10, 20)
        ent, metier, rome = employeur(self.rng, self.territoire)
        convention = ConventionPmsmp(
            entreprise=ent,
            tuteur=Tuteur(
                nom="Perret", prenom="Alain", fonction="Chef d'équipe", email="tuteur@example.org"
            ),
            date_debut=debut,
            date_fin=debut + timedelta(days=duree - 1),
            heures_hebdomadaires=35,
            horaires="Du lundi au vendredi, 8 h – 12 h et 13 h 30 – 16 h 30",
            objectif=self.rng.choice(list(ObjectifPmsmp)),
            metier=metier,
            code_rome=rome,
        )
        prescription = debut - timedelta(days=5)
        self._contact(prescription)
        self.ajouter("prescrire_pmsmp", convention, self.today)
        for signataire in SignatairePmsmp:
            self.ajouter(
                "signer_pmsmp",
                SignaturePmsmp(signataire=signataire, signe_le=prescription),
                prescription,
            )
        self.ajouter("valider_pmsmp", ValidationPmsmp(validee_le=prescription), prescription)

    def _emploi(self, signature: date) -> None:
        debut = self.jour(self.rng.randint(10, min(200, (self.today - signature).days - 1)))
        ent, metier, _ = employeur(self.rng, self.territoire)
        kind = self.rng.choice(
            [
                TypeContratTravail.CDI,
                TypeContratTravail.CDD,
                TypeContratTravail.CDDI,
                TypeContratTravail.INTERIM,
                TypeContratTravail.PEC,
            ]
        )
        fin = (
            None
            if kind == TypeContratTravail.CDI
            else self.today + timedelta(days=self.rng.randint(30, 200))
        )
        self.ajouter(
            "declarer_embauche",
            DeclarationEmbauche(
                type_contrat=kind, employeur=ent, metier=metier, date_debut=debut, date_fin=fin
            ),
            debut,
        )
        for jalon in (30, 90, 180):
            quand = debut + timedelta(days=jalon)
            if quand > self.today or (self.anomalie and jalon == 30):
                break
            self.ajouter(
                "enregistrer_point_suivi",
                PointSuivi(jalon_jours=jalon, realise_le=quand, deroulement=DeroulementSuivi.BIEN),
                quand,
            )

    def _sortie(self, signature: date) -> None:
        le = self.jour(self.rng.randint(1, max(2, (self.today - signature).days - 1)))
        motif = self.rng.choice(
            [
                MotifSortie.EMPLOI_DURABLE,
                MotifSortie.EMPLOI_DURABLE,
                MotifSortie.FORMATION_QUALIFIANTE,
                MotifSortie.DEMENAGEMENT,
                MotifSortie.ABANDON,
                MotifSortie.CREATION_ENTREPRISE,
            ]
        )
        self.ajouter("prononcer_sortie", Sortie(le=le, motif=motif, commentaire=""), le)


# The employee reference the README's demo uses: `python -m simulator envoyer --partenaire
# employeur --type fr.employeur.contrat.rompu --sujet 73282932000074:M-1042 ...` reaches this parcours.
SALARIE_DEMO = "73282932000074:M-1042"


def scenarios(nombre: int, today: date) -> list[Scenario]:
    built = [Fabrique(numero, today).construire() for numero in range(nombre)]
    en_emploi = next((s for s in built if s.cible == Phase.EMPLOI), None)
    if en_emploi is not None:
        ids = en_emploi.accueil.identifiants.model_copy(update={"salarie": SALARIE_DEMO})
        en_emploi.accueil = en_emploi.accueil.model_copy(update={"identifiants": ids})
    return built
