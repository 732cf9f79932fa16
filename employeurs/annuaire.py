"""The directory of companies known to the SPIE: typed by a chargé de relation entreprise
(filled from the national directory when it is configured), labelled « employeur inclusif »,
and fed from the PMSMPs and hirings already recorded in the parcours. One row per SIRET."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from employeurs.recherche_entreprises import AnnuaireIndisponible, Etablissement
from referentiels.territoires import Commune, bassin, communes, simplifier, trouver
from schemas.common import Acteur, Territoire
from schemas.employeur import (
    ContactSaisi,
    EntrepriseSaisie,
    OrigineEntreprise,
    siret_normalise,
)
from schemas.erreurs import CodeErreur
from store.db import ecriture
from store.employeurs import ContactEntrepriseRow, EntrepriseRow
from store.parcours import ParcoursRow

Recherche = Callable[[str], Awaitable[Etablissement | None]]


class EmployeurRefuse(Exception):
    def __init__(
        self, status: int, message: str, code: str, erreurs: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
        self.erreurs = erreurs or []


def _champ(champ: str, message: str) -> EmployeurRefuse:
    return EmployeurRefuse(
        422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": champ, "message": message}]
    )


def maintenant() -> datetime:
    return datetime.now(UTC)


def commune_de(
    code_postal: str | None, nom: str | None, insee: str | None = None
) -> Commune | None:
    """The commune of Haute-Savoie of an address (INSEE code first, then postcode and name,
    then the name alone when only one commune bears it); None outside the département."""
    if insee and (c := communes().get(insee)) is not None:
        return c
    if code_postal:
        return trouver(code_postal, nom or "")
    if nom:
        memes = [c for c in communes().values() if simplifier(c.nom) == simplifier(nom)]
        return memes[0] if len(memes) == 1 else None
    return None


def bassin_de(commune: Commune | None, code_postal: str | None, nom: str | None) -> str | None:
    """The commune's bassin; when the commune is not told apart but every commune of the
    postcode is in one bassin, that bassin."""
    if commune is not None:
        return commune.bassin.value
    trouve = bassin(code_postal, nom or "") if code_postal else None
    return trouve.value if trouve else None


async def charger(session: AsyncSession, siret: str) -> EntrepriseRow:
    try:
        cle = siret_normalise(siret)
    except ValueError:
        cle = ""
    row = await session.get(EntrepriseRow, cle) if cle else None
    if row is None:
        raise EmployeurRefuse(404, "Entreprise introuvable", "entreprise_inconnue")
    return row


async def _completer(
    saisie: EntrepriseSaisie, recherche: Recherche | None
) -> tuple[Etablissement | None, list[str]]:
    """What the national directory says of this SIRET, and what to tell the person."""
    if recherche is None:
        return None, []
    try:
        etab = await recherche(saisie.siret)
    except AnnuaireIndisponible:
        return None, ["L'annuaire des entreprises n'a pas répondu : saisissez nom et adresse."]
    if etab is None:
        return None, ["SIRET inconnu de l'annuaire des entreprises : vérifiez-le."]
    if not etab.ouvert:
        return etab, ["L'annuaire des entreprises indique cet établissement fermé."]
    return etab, []


async def enregistrer(
    session: AsyncSession,
    saisie: EntrepriseSaisie,
    recherche: Recherche | None = None,
) -> tuple[EntrepriseRow, list[str]]:
    """A new company: what was typed wins over the directory, which fills the blanks. Who
    created it is in the audit log (written by the route)."""
    if await session.get(EntrepriseRow, saisie.siret) is not None:
        raise EmployeurRefuse(409, "Cette entreprise est déjà dans l'annuaire", "entreprise_connue")
    etab, remarques = await _completer(saisie, recherche)
    nom = saisie.nom or (etab.nom if etab else None)
    if not nom:
        raise _champ("nom", remarques[0] if remarques else "Le nom de l'entreprise est requis")
    code_postal = saisie.code_postal or (etab.code_postal if etab else None)
    nom_commune = saisie.commune or (etab.commune if etab else None)
    insee = None if saisie.code_postal else (etab.commune_insee if etab else None)
    commune = commune_de(code_postal, nom_commune, insee)
    instant = maintenant()
    row = EntrepriseRow(
        siret=saisie.siret,
        nom=nom,
        naf=saisie.naf or (etab.naf if etab else None),
        adresse=saisie.adresse or (etab.adresse if etab else None),
        code_postal=code_postal,
        commune=commune.nom if commune else nom_commune,
        commune_insee=commune.insee if commune else None,
        bassin=bassin_de(commune, code_postal, nom_commune),
        latitude=etab.latitude if etab and not saisie.adresse else None,
        longitude=etab.longitude if etab and not saisie.adresse else None,
        origine=OrigineEntreprise.SAISIE.value,
        cree_le=instant,
        mis_a_jour=instant,
    )
    await ecriture(session)
    session.add(row)
    await session.commit()
    return row, remarques


async def labelliser(
    session: AsyncSession, siret: str, inclusif: bool, auteur: Acteur, jour: date
) -> EntrepriseRow:
    row = await charger(session, siret)
    await ecriture(session)
    row.label_inclusif_le = jour if inclusif else None
    row.label_inclusif_par = auteur.model_dump(mode="json") if inclusif else None
    row.mis_a_jour = maintenant()
    session.add(row)
    await session.commit()
    return row


async def labelliser_du_territoire(
    session: AsyncSession,
    siret: str,
    inclusif: bool,
    auteur: Acteur,
    jour: date,
    territoire: str | None,
) -> EntrepriseRow:
    """The label is granted or withdrawn by the chargés de relation entreprise of the
    company's territory; ``territoire`` None is the administration's, everywhere."""
    row = await charger(session, siret)
    if territoire is not None and row.bassin != territoire:
        raise EmployeurRefuse(
            403,
            "Le label est accordé par les chargés de relation entreprise de son territoire",
            "interdit",
        )
    return await labelliser(session, row.siret, inclusif, auteur, jour)


async def ajouter_contact(
    session: AsyncSession, siret: str, contact: ContactSaisi
) -> ContactEntrepriseRow:
    entreprise = await charger(session, siret)
    await ecriture(session)
    row = ContactEntrepriseRow(
        id=str(uuid.uuid4()), siret=entreprise.siret, cree_le=maintenant(), **contact.model_dump()
    )
    entreprise.mis_a_jour = row.cree_le
    session.add_all([row, entreprise])
    await session.commit()
    return row


async def contacts_de(session: AsyncSession, siret: str) -> list[ContactEntrepriseRow]:
    requete = select(ContactEntrepriseRow).where(ContactEntrepriseRow.siret == siret)
    return list((await session.exec(requete.order_by(col(ContactEntrepriseRow.cree_le)))).all())


async def lister(
    session: AsyncSession, bassin: Territoire | None = None, inclusifs: bool = False
) -> list[EntrepriseRow]:
    requete = select(EntrepriseRow)
    if bassin is not None:
        requete = requete.where(EntrepriseRow.bassin == bassin.value)
    if inclusifs:
        requete = requete.where(col(EntrepriseRow.label_inclusif_le).is_not(None))
    return list((await session.exec(requete.order_by(col(EntrepriseRow.nom)))).all())


@dataclass
class Rencontre:
    """A company met in a parcours: hosting a PMSMP, or hiring. No person is named."""

    siret: str
    nom: str
    etablissement: str
    commune: str
    origine: OrigineEntreprise
    le: date
    metier: str
    parcours_id: str = field(repr=False)


def rencontres(etat: dict[str, Any], parcours_id: str) -> list[Rencontre]:
    """The companies of a parcours' read model: PMSMP hosts and employers, past ones included."""
    trouvees = []
    for pmsmp in etat.get("pmsmp") or []:
        convention = pmsmp.get("convention") or {}
        if (e := convention.get("entreprise")) and pmsmp.get("etat") != "annulee":
            trouvees.append(
                Rencontre(
                    e["siret"],
                    e["raison_sociale"],
                    e["etablissement"],
                    e["commune"],
                    OrigineEntreprise.PMSMP,
                    date.fromisoformat(str(convention["date_debut"])[:10]),
                    str(convention.get("metier") or ""),
                    parcours_id,
                )
            )
    for emploi in [etat.get("emploi"), *(etat.get("emplois_passes") or [])]:
        if emploi and (embauche := emploi.get("embauche")):
            e = embauche["employeur"]
            trouvees.append(
                Rencontre(
                    e["siret"],
                    e["raison_sociale"],
                    e["etablissement"],
                    e["commune"],
                    OrigineEntreprise.EMBAUCHE,
                    date.fromisoformat(str(embauche["date_debut"])[:10]),
                    str(embauche.get("metier") or ""),
                    parcours_id,
                )
            )
    return trouvees


async def toutes_les_rencontres(session: AsyncSession) -> list[Rencontre]:
    requete = select(ParcoursRow.id, ParcoursRow.etat).where(col(ParcoursRow.anonymise).is_(False))
    return [
        r for pid, etat in (await session.exec(requete)).all() for r in rencontres(dict(etat), pid)
    ]


async def alimenter_depuis_les_parcours(session: AsyncSession) -> list[EntrepriseRow]:
    """Every company met in a PMSMP or a hiring that the directory does not know yet, added
    once (the first met gives its name and address); those already known are left as they
    are. Returns the ones added."""
    connues = set((await session.exec(select(EntrepriseRow.siret))).all())
    ajoutees: dict[str, EntrepriseRow] = {}
    for r in sorted(await toutes_les_rencontres(session), key=lambda r: r.le):
        if r.siret in connues or r.siret in ajoutees:
            continue
        commune = commune_de(None, r.commune)
        instant = maintenant()
        ajoutees[r.siret] = EntrepriseRow(
            siret=r.siret,
            nom=r.nom,
            adresse=r.etablissement,
            commune=commune.nom if commune else r.commune,
            commune_insee=commune.insee if commune else None,
            code_postal=None,
            bassin=commune.bassin.value if commune else None,
            origine=r.origine.value,
            cree_le=instant,
            mis_a_jour=instant,
        )
    if ajoutees:
        await ecriture(session)
        session.add_all(ajoutees.values())
        await session.commit()
    return list(ajoutees.values())


async def historique(session: AsyncSession, siret: str) -> list[Rencontre]:
    """The PMSMPs and hirings of this company through the platform, the latest first."""
    return sorted(
        (r for r in await toutes_les_rencontres(session) if r.siret == siret),
        key=lambda r: r.le,
        reverse=True,
    )
