"""Building a parcours' state by hand from a few dated facts, as the workflow would have left
it, to write it into the read model through the real projection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from schemas.common import Acteur, Organisme, Territoire
from schemas.contrat import Contrat, EtatContrat, Objectif, Signataire, TypeContrat, add_months
from schemas.diagnostic import Diagnostic
from schemas.emploi import (
    DeclarationEmbauche,
    Emploi,
    EtatEmploi,
    FinEmploi,
    MotifFinEmploi,
    TypeContratTravail,
)
from schemas.entreprise import Entreprise
from schemas.orientation import DecisionOrientation, OrientationDecidee, TypeOrientation
from schemas.parcours import (
    Accueil,
    Categorie,
    EvenementTimeline,
    OrigineAccueil,
    ParcoursState,
    PassagePhase,
    Phase,
)
from schemas.pmsmp import (
    AnnulationPmsmp,
    BilanPmsmp,
    ConventionPmsmp,
    EtatPmsmp,
    ObjectifPmsmp,
    Pmsmp,
    ResultatPmsmp,
    Tuteur,
)
from schemas.projection import Projection
from schemas.sortie import MotifSortie, Sortie, Suspension
from schemas.usager import Consentement, IdentifiantsPartenaires, Usager
from schemas.vigie import Alerte, Severite
from store.db import SessionFactory, ecriture
from store.projection import ecrire
from tests.factories import CLAIRE

ENTREPRISE = Entreprise(
    siret="73282932000074",
    raison_sociale="Fromagerie des Aravis",
    etablissement="Route du Col",
    commune="Thônes",
)


@dataclass
class Dossier:
    numero: int
    prenom: str
    nom: str
    territoire: Territoire
    organisme: Organisme | None
    phases: list[tuple[Phase, date]]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    orientations: list[date] = field(default_factory=list)
    contrats: list[tuple[date, date | None]] = field(default_factory=list)  # the two signatures
    pmsmp: list[tuple[date, date, ResultatPmsmp | None, bool]] = field(default_factory=list)
    emplois: list[tuple[date, date | None]] = field(default_factory=list)  # start, actual end
    sortie: tuple[date, MotifSortie] | None = None
    suspendu_le: date | None = None
    alertes: list[tuple[str, str, Severite, date]] = field(default_factory=list)  # active now
    vigie: list[tuple[str, date, str, str, Severite]] = field(default_factory=list)

    @property
    def parcours_id(self) -> str:
        return f"obs-{self.numero:02d}"

    @property
    def caf(self) -> str:
        return f"98765{self.numero:02d}"


def _accueil(d: Dossier) -> Accueil:
    jour = d.phases[0][1]
    return Accueil(
        accueilli_le=jour,
        usager=Usager(
            nom=d.nom,
            prenom=d.prenom,
            date_naissance=date(1990, 5, 17),
            code_postal="74000",
            commune="Annecy",
        ),
        territoire=d.territoire,
        origine=OrigineAccueil.CAF,
        identifiants=IdentifiantsPartenaires(caf=d.caf),
        consentement=Consentement(
            partage_partenaires=True, themes_sensibles=True, recueilli_le=jour
        ),
    )


def _passages(d: Dossier) -> list[PassagePhase]:
    fins = [du for _, du in d.phases[1:]] + [None]
    return [PassagePhase(phase=p, du=du, au=au) for (p, du), au in zip(d.phases, fins, strict=True)]


def _orientation(d: Dossier, jour: date) -> OrientationDecidee:
    decision = DecisionOrientation(
        decidee_le=jour,
        type=TypeOrientation.SOCIO_PROFESSIONNELLE,
        organisme=d.organisme or Organisme.CONSEIL_DEPARTEMENTAL,
        referent_id=CLAIRE.id,
    )
    return OrientationDecidee(decision=decision, proposition=None, referent=CLAIRE, conforme=False)


def _contrat(d: Dossier, n: int, usager: date, referent: date | None) -> Contrat:
    signatures = {Signataire.USAGER: usager}
    if referent is not None:
        signatures[Signataire.REFERENT] = referent
    return Contrat(
        workflow_id=f"parcours-{d.parcours_id}-contrat-{n}",
        numero=n,
        etat=EtatContrat.ACTIF if referent else EtatContrat.EN_SIGNATURE,
        type=TypeContrat.CER,
        date_debut=usager,
        date_fin=add_months(usager, 6),
        objectifs=[Objectif(libelle="Lever les freins à la mobilité")],
        signatures=signatures,
        referent=CLAIRE,
    )


def _pmsmp(
    d: Dossier, n: int, debut: date, fin: date, resultat: ResultatPmsmp | None, annulee: bool
) -> Pmsmp:
    convention = ConventionPmsmp(
        entreprise=ENTREPRISE,
        tuteur=Tuteur(nom="Burnier", prenom="Paul", fonction="Chef d'atelier"),
        date_debut=debut,
        date_fin=fin,
        heures_hebdomadaires=35,
        horaires="Du lundi au vendredi",
        objectif=ObjectifPmsmp.DECOUVRIR,
        metier="Fromager",
    )
    etat = (
        EtatPmsmp.ANNULEE if annulee else EtatPmsmp.BILAN_FAIT if resultat else EtatPmsmp.EN_COURS
    )
    return Pmsmp(
        id=f"pmsmp-{d.numero}-{n}",
        workflow_id=f"parcours-{d.parcours_id}-pmsmp-{n}",
        etat=etat,
        convention=convention,
        prescripteur=CLAIRE,
        bilan=BilanPmsmp(redige_le=fin, resultat=resultat) if resultat else None,
        annulation=AnnulationPmsmp(annulee_le=debut, motif="Entreprise fermée")
        if annulee
        else None,
    )


def _emploi(d: Dossier, n: int, debut: date, fin: date | None) -> Emploi:
    embauche = DeclarationEmbauche(
        type_contrat=TypeContratTravail.CDI,
        employeur=ENTREPRISE,
        metier="Fromager",
        date_debut=debut,
    )
    return Emploi(
        workflow_id=f"parcours-{d.parcours_id}-emploi-{n}",
        numero=n,
        etat=EtatEmploi.TERMINE if fin else EtatEmploi.EN_COURS,
        embauche=embauche,
        fin=FinEmploi(le=fin, motif=MotifFinEmploi.LICENCIEMENT) if fin else None,
    )


def etat(d: Dossier) -> ParcoursState:
    a = _accueil(d)
    contrats = [_contrat(d, n, *c) for n, c in enumerate(d.contrats, 1)]
    emplois = [_emploi(d, n, *e) for n, e in enumerate(d.emplois, 1)]
    return ParcoursState(
        parcours_id=d.parcours_id,
        version=1,
        ouvert_le=a.accueilli_le,
        accueil=a,
        usager=a.usager,
        territoire=a.territoire,
        identifiants=a.identifiants,
        consentement=a.consentement,
        phase=d.phases[-1][0],
        phases=_passages(d),
        organisme=d.organisme,
        diagnostics=d.diagnostics,
        orientations=[_orientation(d, j) for j in d.orientations],
        contrat=contrats[-1] if contrats else None,
        contrats_passes=contrats[:-1],
        pmsmp=[_pmsmp(d, n, *p) for n, p in enumerate(d.pmsmp, 1)],
        emploi=emplois[-1] if emplois else None,
        emplois_passes=emplois[:-1],
        sortie=Sortie(le=d.sortie[0], motif=d.sortie[1]) if d.sortie else None,
        suspension=Suspension(le=d.suspendu_le, motif="Hospitalisation") if d.suspendu_le else None,
        alertes=[
            Alerte(code=code, cle=cle, libelle=code, severite=s, depuis=depuis)
            for code, cle, s, depuis in d.alertes
        ],
    )


def _ligne(
    seq: int, le: date, categorie: Categorie, code: str, libelle: str, **details: str
) -> EvenementTimeline:
    return EvenementTimeline(
        seq=seq,
        enregistre_le=datetime.combine(le, time(9), tzinfo=UTC) + timedelta(minutes=seq),
        le=le,
        categorie=categorie,
        code=code,
        libelle=libelle,
        auteur=Acteur.plateforme(),
        details=details,
    )


def evenements(d: Dossier) -> list[EvenementTimeline]:
    """The accueil (it names the person) and the vigie's lines, in order."""
    lignes = [
        _ligne(1, d.phases[0][1], Categorie.ACCUEIL, "accueil", f"Accueil de {d.prenom} {d.nom}")
    ]
    for code, le, regle, cle, severite in sorted(d.vigie, key=lambda v: v[1]):
        details = {"regle": regle, "cle": cle}
        if code == "alerte_levee":
            details["severite"] = severite.value
        lignes.append(
            _ligne(len(lignes) + 1, le, Categorie.VIGIE, code, f"{regle} ({cle})", **details)
        )
    return lignes


async def projeter(sessions: SessionFactory, dossiers: list[Dossier]) -> None:
    for d in dossiers:
        async with sessions() as session:
            await ecriture(session)  # a write transaction from the start, as store/db.py says
            assert await ecrire(session, Projection(etat=etat(d), evenements=evenements(d)))
            await session.commit()
