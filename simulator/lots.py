"""The files the CAF/MSA and France Travail drop for the département, as the simulator writes
them for development: the same contract as the real ones (docs/connecteurs/fichiers-ft-caf.md;
sources: gip-inclusion/carnet-de-bord, commit e0fe72120e7fec28d919b84d076fb1db62962d3f,
backend/cdb/caf_msa/vrsb0801.xsd and backend/cdb/cdb_csv/models/csv_row.py).

    python -m simulator.lots caf DEPOT 1234567:2 7654321:4:06:2026-11-01 1111111:5:RFD:2026-11-30
    python -m simulator.lots france-travail DEPOT 1234567A:2026-10-17
    python -m simulator.lots radiations DEPOT 1234567A074:2026-12-01:92:NON REPONSE A CONVOCATION

writes a flux (or an extract) dated today into DEPOT, where the scheduled import reads it.
France Travail's « inscriptions », « cessations », « radiations » and « stock » files follow
WebRSA's reading of them (atolcd/webrsa, app/Console/Command/IntegrationfluxpeShell.php, commit
ceacd4496d9d67e6285a6edc242bb6dd23679fbc): identifier on 11 characters, dates JJ/MM/AAAA, the
NIR (a fictitious one, its key valid) on 13 characters, the columns of November 2011.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from stdnum.fr import nir as numero_nir

# ETATDOSRSA → (block, motive element, date element) of SituationDossierRSA (vrsb0801.xsd)
BLOCS = {
    "3": ("SuspensionDroit", "MOTISUSDRORSA", "DDSUSDRORSA"),
    "4": ("SuspensionVersement", "MOTISUSVERSRSA", "DDSUSVERSRSA"),
    "5": ("FinDroit", "MOTICLORSA", "DTCLORSA"),
    "6": ("FinDroitMoisAnterieur", "MOTICLORSA", "DTCLORSA"),
}
COLONNES_FT = (
    "identifiant_unique_de",
    "civilite",
    "nom",
    "prenom",
    "lieu_naissance",
    "code_lieu_naissance",
    "date_naissance",
    "adresse_ligne2",
    "adresse_ligne3",
    "adresse_ligne4",
    "adresse_ligne5",
    "adresse_ligne6",
    "departement",
    "dr",
    "rome_1",
    "appelation_rome_1",
    "rome_2",
    "appelation_rome_2",
    "mrech.axetravailprincipal",
    "mrech.axetravailsecondaire",
    "der_entretien_ppae",
    "der_entretien",
    "inscription",
    "code_motif_inscription",
    "motif_inscription",
    "categorie_inscription",
    "struct_principale",
    "referent_civilite",
    "referent_nom",
    "referent_prenom",
    "referent_mail",
    "code_safir",
    "modalite_accompagnement",
    "struct_suivi",
    "suivi_debut",
    "suivi_fin_prev",
    "dif_financiere",
    "dif_admin_jur",
    "dif_sante",
    "dif_logement",
    "dif_transport",
    "dif_inser_com",
    "dif_familiale",
    "brsa",
)


@dataclass(frozen=True)
class Foyer:
    matricule: str  # seven digits: written on fifteen, as the CAF does
    etat: str  # ETATDOSRSA
    motif: str | None = None
    le: date | None = None
    organisme: str = "CAF"


@dataclass(frozen=True)
class Demandeur:
    identifiant: str
    inscription: date
    brsa: bool = True


def _texte(parent: Element, tag: str, valeur: str) -> None:
    SubElement(parent, tag).text = valeur


def _foyer(racine: Element, f: Foyer) -> None:
    foyer = SubElement(racine, "InfosFoyerRSA")
    ident = SubElement(foyer, "IdentificationRSA")
    org = SubElement(ident, "Organisme")
    _texte(org, "FONORG", f.organisme)
    _texte(org, "NUMORG", "741")
    _texte(org, "MATRICULE", f.matricule.ljust(15, "0"))
    part = SubElement(ident, "Partenaire")
    _texte(part, "TYPEPARTE", "CG ")
    _texte(part, "IDEPARTE", "074")
    situation = SubElement(SubElement(foyer, "PrestationRSA"), "SituationDossierRSA")
    _texte(SubElement(situation, "EtatDossierRSA"), "ETATDOSRSA", f.etat)
    if f.etat in BLOCS and f.le is not None:
        bloc, motif, le = BLOCS[f.etat]
        b = SubElement(situation, bloc)
        _texte(b, motif, f.motif or "")
        _texte(b, le, f.le.isoformat())


def flux_caf(reference: date, foyers: list[Foyer]) -> bytes:
    """A « bénéficiaires RSA » flux (monthly, as carnet-de-bord's RSABEM fixtures)."""
    racine = Element("Racine")
    flux = SubElement(racine, "IdentificationFlux")
    for tag, valeur in [
        ("APPLIEME", "CRI"),
        ("NUMVERSIONAPPLIEME", "6200"),
        ("TYPEFLUX", "M"),
        ("NATFLUX", "D"),
        ("DTCREAFLUX", date.today().isoformat()),
        ("HEUCREAFLUX", "01:18:36.0000"),
        ("DTREF", reference.isoformat()),
    ]:
        _texte(flux, tag, valeur)
    for f in foyers:
        _foyer(racine, f)
    fin = SubElement(racine, "TransmissionFlux")
    _texte(fin, "NBTOTDOSRSATRANSM", f"{len(foyers):08d}")
    _texte(fin, "NBTOTDOSRSATRANSMANO", "00000000")
    indent(racine, "\t")
    contenu: bytes = tostring(racine, encoding="windows-1252", xml_declaration=True)
    return contenu


def extraction_ft(demandeurs: list[Demandeur]) -> bytes:
    """A « principal » extract: separator « ; », NULL for empty cells, dates with a time."""
    lignes = [";".join(COLONNES_FT)]
    for d in demandeurs:
        cellules = dict.fromkeys(COLONNES_FT, "NULL")
        cellules |= {
            "identifiant_unique_de": d.identifiant,
            "inscription": f"{d.inscription.isoformat()} 00:00:00.0",
            "categorie_inscription": "1",
            "departement": "74",
            "brsa": "O" if d.brsa else "N",
        }
        lignes.append(";".join(cellules[c] for c in COLONNES_FT))
    return ("\n".join(lignes) + "\n").encode("utf-8")


COLONNES_FLUX = ("nir", "identifiantpe", "nom", "prenom", "dtnai", "date", "code")
COLONNES_NOVEMBRE_2011 = ("codeinsee", "localite", "adresse", "ale")
FLUX_FT = ("inscriptions", "cessations", "radiations", "stock")


@dataclass(frozen=True)
class EtatDemandeur:
    """A line of one of France Travail's flows: a registration, or its end with a motive."""

    identifiant: str  # 11 characters, as in the flows: 1234567A074
    le: date
    code: str
    motif: str | None = None


def nir_fictif(rang: int) -> str:
    """13 characters whose computed key is valid (born in 1990 in Annecy, 74010)."""
    base = f"1900174010{rang % 1000:03d}"
    assert numero_nir.is_valid(base + numero_nir.calc_check_digits(base))
    return base


def flux_ft(genre: str, etats: list[EtatDemandeur]) -> bytes:
    """One of the four flows: « ; », a header line, the columns of November 2011."""
    avec_motif = genre in ("cessations", "radiations")
    entete = [*COLONNES_FLUX, *(["motif"] if avec_motif else []), "nir2", *COLONNES_NOVEMBRE_2011]
    lignes = [";".join(entete)]
    for rang, e in enumerate(etats, start=1):
        nir = nir_fictif(rang)
        cellules = [nir, e.identifiant, "DEMANDEUR", f"FICTIF {rang}", "01/01/1990"]
        cellules += [f"{e.le:%d/%m/%Y}", e.code, *([e.motif or ""] if avec_motif else [])]
        cellules += [nir, "74010", "ANNECY", "1 RUE DE LA GARE", "074012"]
        lignes.append(";".join(cellules))
    return ("\r\n".join(lignes) + "\r\n").encode("utf-8")


def _etat_cli(arg: str) -> EtatDemandeur:
    identifiant, le, code, *motif = arg.split(":", 3)
    return EtatDemandeur(identifiant, date.fromisoformat(le), code, motif[0] if motif else None)


def _foyer_cli(arg: str) -> Foyer:
    matricule, etat, *reste = arg.split(":")
    motif = reste[0] if reste else None
    le = date.fromisoformat(reste[1]) if len(reste) > 1 else None
    return Foyer(matricule, etat, motif, le)


def main(argv: list[str]) -> None:
    partenaire, depot, *args = argv
    dossier = Path(depot)
    dossier.mkdir(parents=True, exist_ok=True)
    jour = date.today()
    if partenaire == "caf":
        chemin = dossier / f"RSABEM_074_{jour:%Y%m%d}.xml"
        chemin.write_bytes(flux_caf(jour, [_foyer_cli(a) for a in args]))
    elif partenaire in FLUX_FT:
        chemin = dossier / f"{partenaire}_074_{jour:%Y%m%d}.csv"
        chemin.write_bytes(flux_ft(partenaire, [_etat_cli(a) for a in args]))
    else:
        demandeurs = [
            Demandeur(i, date.fromisoformat(le)) for i, le in (a.split(":", 1) for a in args)
        ]
        chemin = dossier / f"i03300c.j.extract_spie_074_principal_{jour:%Y%m%d}.csv"
        chemin.write_bytes(extraction_ft(demandeurs))
    sys.stdout.write(f"Déposé : {chemin}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
