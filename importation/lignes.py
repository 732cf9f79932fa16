"""One row of a list, checked: the accueil it would open, or French errors naming the
columns to fix. Phones become E.164 (French and Swiss numbers; a landline is kept but flagged,
no SMS reaches it), e-mails are checked with pydantic's EmailStr."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import phonenumbers
from pydantic import EmailStr, TypeAdapter, ValidationError

from importation.colonnes import PAR_CODE
from referentiels.territoires.choix import BassinRefuse, choisir_bassin
from schemas.champ import champ_en_cause
from schemas.common import Territoire
from schemas.parcours import Accueil, OrigineAccueil
from store.parcours import cle_identite

PAYS = ("FR", "CH")  # many people in the Genevois français have a Swiss mobile
FORMATS_DE_DATE = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
COURRIEL = TypeAdapter(EmailStr)
FIXE = "Téléphone fixe : pas de SMS possible"


@dataclass
class Analyse:
    accueil: Accueil | None = None
    erreurs: list[dict[str, str]] = field(default_factory=list)
    remarques: list[str] = field(default_factory=list)

    def erreur(self, champ: str, message: str) -> None:
        self.erreurs.append({"champ": champ, "message": f"{PAR_CODE[champ].libelle} : {message}"})

    @property
    def cle(self) -> str | None:
        if self.accueil is None:
            return None
        u = self.accueil.usager
        return cle_identite(u.nom, u.prenom, u.date_naissance)


def telephone(texte: str) -> tuple[str, bool]:
    """(E.164, SMS possible). ValueError with a French message when it is not a number of
    France or Switzerland."""
    try:
        numero = phonenumbers.parse(texte, "FR")
    except phonenumbers.NumberParseException:
        raise ValueError("numéro illisible") from None
    if not phonenumbers.is_valid_number(numero):
        raise ValueError("numéro invalide")
    if phonenumbers.region_code_for_number(numero) not in PAYS:
        raise ValueError("numéro français ou suisse attendu")
    fixe = phonenumbers.number_type(numero) == phonenumbers.PhoneNumberType.FIXED_LINE
    return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.E164), not fixe


def date_de_naissance(texte: str) -> date:
    for fmt in FORMATS_DE_DATE:
        try:
            return datetime.strptime(texte.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError("date attendue au format JJ/MM/AAAA")


def _identifiant_caf(texte: str) -> str:
    chiffres = texte.replace(" ", "")
    # a number column in Excel drops the leading zeros of « 0123456 »
    return chiffres.zfill(7) if chiffres.isdigit() and len(chiffres) < 7 else chiffres


def analyser(
    valeurs: dict[str, str],
    jour: date,
    *,
    origine: OrigineAccueil = OrigineAccueil.CAF,
    territoire: Territoire | None = None,
) -> Analyse:
    """``valeurs``: field code → text of the cell. ``territoire``: the importing coordinator's
    (a row of another bassin is refused), None for the administration."""
    a = Analyse()
    v = {k: (valeurs.get(k) or "").strip() for k in PAR_CODE}
    for code in ("nom", "prenom", "code_postal", "commune", "date_naissance"):
        if not v[code]:
            a.erreur(code, "obligatoire")
    naissance = None
    if v["date_naissance"]:
        try:
            naissance = date_de_naissance(v["date_naissance"])
        except ValueError as err:
            a.erreur("date_naissance", str(err))
    tel = None
    if v["telephone"]:
        try:
            tel, sms = telephone(v["telephone"])
            if not sms:
                a.remarques.append(FIXE)
        except ValueError as err:
            a.erreur("telephone", str(err))
    email = None
    if v["email"]:
        try:
            email = str(COURRIEL.validate_python(v["email"]))
        except ValidationError:
            a.erreur("email", "adresse invalide")
    bassin = None
    if v["code_postal"] and v["commune"]:
        try:
            bassin, _ = choisir_bassin(v["code_postal"], v["commune"], None, peut_choisir=False)
        except BassinRefuse:
            a.erreur(
                "commune", f"« {v['commune']} » ({v['code_postal']}) introuvable en Haute-Savoie"
            )
    if bassin is not None and territoire is not None and bassin != territoire:
        a.erreur("commune", f"bassin {bassin.label}, hors de votre territoire ({territoire.label})")
    if a.erreurs or naissance is None or bassin is None:
        return a
    corps: dict[str, Any] = {
        "accueilli_le": jour,
        "usager": {
            "nom": v["nom"],
            "prenom": v["prenom"],
            "date_naissance": naissance,
            "telephone": tel,
            "email": email,
            "adresse": v["adresse"] or None,
            "code_postal": v["code_postal"],
            "commune": v["commune"],
        },
        "territoire": bassin,
        "origine": origine,
        "identifiants": {
            "caf": _identifiant_caf(v["caf"]) or None,
            "france_travail": v["france_travail"].replace(" ", "").upper() or None,
        },
        # Nothing was agreed yet: consent is asked at the first meeting.
        "consentement": {
            "partage_partenaires": False,
            "themes_sensibles": False,
            "recueilli_le": jour,
        },
    }
    try:
        a.accueil = Accueil.model_validate(corps)
    except ValidationError as err:
        for e in err.errors():
            cause = champ_en_cause(e)
            chemin = (cause or ".".join(str(p) for p in e["loc"])).split(".")
            code = next((c for c in reversed(chemin) if c in PAR_CODE), "nom")
            a.erreur(code, e["msg"].removeprefix("Value error, ") if cause else "format invalide")
    return a
