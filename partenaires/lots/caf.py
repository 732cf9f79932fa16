"""The CAF/MSA « bénéficiaires RSA » flux (XML, schema vrsb0801.xsd) as internal events.

Contract: the flux as gip-inclusion/carnet-de-bord reads it — backend/cdb/caf_msa/
parse_infos_foyer_rsa.py, vrsb0801.xsd and backend/tests/fixtures/RSABEM*.xml, commit
e0fe72120e7fec28d919b84d076fb1db62962d3f (2024-02-29). Root ``Racine``; one
``IdentificationFlux`` (TYPEFLUX, NATFLUX, DTCREAFLUX, DTREF), then one ``InfosFoyerRSA`` per
dossier: ``IdentificationRSA/Organisme`` (FONORG CAF or MSA, NUMORG, MATRICULE on up to 15
digits), ``PrestationRSA/SituationDossierRSA`` with ``EtatDossierRSA/ETATDOSRSA`` (0 to 6) and
the blocks of suspension (MOTISUSVERSRSA/DDSUSVERSRSA, MOTISUSDRORSA/DDSUSDRORSA) or end of
right (MOTICLORSA/DTCLORSA). Dates are ISO (xsd:date). The allocataire number is cut to seven
digits as gip-inclusion/rdv-insertion does (app/models/concerns/user/affiliation_number.rb,
commit 6713dfafd0b96aa2d86816e35c98e498ba36cc93): trailing zeros beyond seven dropped.

One dossier (« foyer ») is one line: its state is the event. Parsed with defusedxml (no
entity expansion, no external entity: a file from outside is untrusted input).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from core.clock import start_of_day
from partenaires.lots.regles import identifiant_stable, regles
from schemas.lots import LigneEvenement, LigneSansEvenement

Ligne = LigneEvenement | LigneSansEvenement


class FichierIllisible(ValueError):
    """The whole file cannot be read: nothing of it is imported, the report says why."""


def _sans_zeros_finaux(n: str) -> str:
    return n[:7] if len(n) > 7 and not n[7:].strip("0") else n


def numero_allocataire(matricule: str) -> str:
    """Seven digits when the flux pads them with zeros (the CAF gives 15), as is otherwise:
    an odd one is then refused by the subject's check, with its reason."""
    n = _sans_zeros_finaux("".join(matricule.split()))
    return _sans_zeros_finaux(n.lstrip("0")) if len(n) > 7 else n


def _texte(node: Element, chemin: str) -> str | None:
    valeur = node.findtext(chemin)
    return valeur.strip() if valeur and valeur.strip() else None


def _date(node: Element, chemin: str) -> date | None:
    valeur = _texte(node, chemin)
    try:
        return date.fromisoformat(valeur) if valeur else None
    except ValueError:
        return None


def _racine(contenu: bytes) -> Element:
    try:
        racine: Element = fromstring(contenu)
    except (ParseError, DefusedXmlException) as err:
        raise FichierIllisible(f"XML illisible ({type(err).__name__})") from None
    if racine.tag != "Racine" or racine.find("IdentificationFlux") is None:
        raise FichierIllisible(
            "Ce n'est pas un flux « bénéficiaires RSA » : élément Racine/IdentificationFlux absent"
        )
    return racine


def lignes(contenu: bytes) -> Iterator[Ligne]:
    racine = _racine(contenu)
    flux = racine.find("IdentificationFlux")
    assert flux is not None
    reference = _date(flux, "DTREF") or _date(flux, "DTCREAFLUX")
    if reference is None:
        raise FichierIllisible("Date de référence du flux (DTREF) absente ou mal formée")
    for numero, foyer in enumerate(racine.iterfind("InfosFoyerRSA"), start=1):
        yield _foyer(numero, foyer, reference)


def _foyer(numero: int, foyer: Element, reference: date) -> Ligne:
    def refus(raison: str) -> LigneSansEvenement:
        return LigneSansEvenement(numero=numero, raison=raison)

    organisme = _texte(foyer, "IdentificationRSA/Organisme/FONORG")
    matricule = _texte(foyer, "IdentificationRSA/Organisme/MATRICULE")
    etat = _texte(foyer, "PrestationRSA/SituationDossierRSA/EtatDossierRSA/ETATDOSRSA")
    if matricule is None:
        return refus("Numéro de dossier (MATRICULE) absent")
    if organisme == "MSA":
        return refus(
            "Dossier MSA : les événements RSA ne se rattachent aujourd'hui qu'au numéro "
            "allocataire CAF"
        )
    regle = regles()["caf"]["etats"].get(etat or "")
    if regle is None:
        return refus("État du dossier RSA (ETATDOSRSA) absent ou inconnu")
    if "sans_suite" in regle:
        return LigneSansEvenement(
            numero=numero, raison=f"Sans suite : {regle['sans_suite']}", refusee=False
        )
    sujet = numero_allocataire(matricule)
    numorg = _texte(foyer, "IdentificationRSA/Organisme/NUMORG") or ""
    if "bloc" not in regle:  # rights open: the state as seen on the flux's reference date
        data: dict[str, Any] = {"date_effet": reference.isoformat()}
        le = reference
    else:
        situation = foyer.find("PrestationRSA/SituationDossierRSA")
        assert situation is not None
        bloc = _dernier(situation, regle["bloc"], regle["date"], regle["motif"])
        if bloc is None:
            return refus(f"Bloc {regle['bloc']} (date {regle['date']}) absent pour l'état {etat}")
        le, code = bloc
        data = {"date": le.isoformat(), "motif": _motif(regle, code)}
    return LigneEvenement(
        numero=numero,
        id=identifiant_stable("caf", numorg, sujet, etat or "", le.isoformat()),
        type=regle["type"],
        sujet=sujet,
        survenu_le=_instant(le),
        data=data,
    )


def _dernier(
    situation: Element, bloc: str, champ_date: str, champ_motif: str
) -> tuple[date, str] | None:
    """The latest block of this kind (a dossier may carry several suspensions)."""
    trouves = [
        (le, _texte(b, champ_motif) or "")
        for b in situation.iterfind(bloc)
        if (le := _date(b, champ_date)) is not None
    ]
    return max(trouves, default=None)


def _motif(regle: dict[str, Any], code: str) -> str:
    table = "motifs_cloture" if regle["type"].endswith("clos") else "motifs_suspension"
    libelle = regles()["caf"][table].get(code)
    if libelle:
        return f"{regle['prefixe']} : {libelle}"
    return f"{regle['prefixe']} (motif « {code} »)" if code else regle["prefixe"]


def _instant(le: date) -> datetime:
    return start_of_day(le)
