"""Who in a list is already known: an open parcours carrying one of the row's identifiers
(CAF, France Travail), else the same normalised name, first name and date of birth
(``store.parcours.cle_identite``, the accueil's duplicate key). Before all, a NIR an earlier
list gave for a person (kept as its HMAC on that list's row). Rows an earlier import opened
count too, even before the read model shows their parcours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from importation.lignes import telephone
from schemas.parcours import Accueil, Statut
from store.imports import ImportLigneRow
from store.parcours import IdentifiantRow, ParcoursRow
from store.projection import CLE_NIR

CHAMPS_DE_CONTACT = ("telephone", "email", "adresse")
IDENTIFIANTS = ("caf", "france_travail")


class Connus:
    """The parcours already known for a batch of rows, with their person as last seen."""

    def __init__(self) -> None:
        self.par_cle: dict[str, str] = {}
        self.par_identifiant: dict[tuple[str, str], str] = {}
        self.par_nir: dict[str, str] = {}  # HMAC of a NIR → parcours
        self.personne: dict[str, dict[str, Any]] = {}  # parcours → {usager, identifiants}

    def trouver(self, accueil: Accueil, cle: str, nir: str | None = None) -> str | None:
        if nir and nir in self.par_nir:
            return self.par_nir[nir]
        for paire in accueil.identifiants.pairs():
            if paire in self.par_identifiant:
                return self.par_identifiant[paire]
        return self.par_cle.get(cle)


async def connus(
    session: AsyncSession, lignes: list[tuple[Accueil, str]], nirs: Sequence[str | None] = ()
) -> Connus:
    c = Connus()
    await _par_nir(session, c, sorted({n for n in nirs if n}))
    cles = sorted({cle for _, cle in lignes})
    paires = sorted({p for a, _ in lignes for p in a.identifiants.pairs() if p[0] in IDENTIFIANTS})
    ouverts = col(ParcoursRow.statut) != Statut.CLOS.value
    for i in range(0, len(cles), 500):  # bounded IN lists
        q = select(ParcoursRow).where(col(ParcoursRow.cle_identite).in_(cles[i : i + 500]), ouverts)
        for row in (await session.exec(q)).all():
            c.par_cle[str(row.cle_identite)] = row.id
            c.personne[row.id] = {k: row.etat.get(k) for k in ("usager", "identifiants")}
        q2 = select(ImportLigneRow).where(
            col(ImportLigneRow.cle_identite).in_(cles[i : i + 500]),
            col(ImportLigneRow.resultat) == "ouvert",
        )
        for ligne in (await session.exec(q2)).all():
            if ligne.parcours_id and ligne.cle_identite not in c.par_cle and ligne.accueil:
                c.par_cle[str(ligne.cle_identite)] = ligne.parcours_id
                c.personne.setdefault(ligne.parcours_id, ligne.accueil)
    for i in range(0, len(paires), 200):
        lot = paires[i : i + 200]
        q3 = (
            select(IdentifiantRow, ParcoursRow)
            .join(ParcoursRow, col(ParcoursRow.id) == col(IdentifiantRow.parcours_id))
            .where(
                or_(
                    *(
                        and_(col(IdentifiantRow.cle) == k, col(IdentifiantRow.valeur) == v)
                        for k, v in lot
                    )
                )
            )
            .where(ouverts)
        )
        for ident, row in (await session.exec(q3)).all():
            c.par_identifiant[(ident.cle, ident.valeur)] = row.id
            c.personne[row.id] = {k: row.etat.get(k) for k in ("usager", "identifiants")}
    return c


async def _par_nir(session: AsyncSession, c: Connus, nirs: list[str]) -> None:
    """The parcours an earlier list's row with the same NIR went to (opened, updated or found
    there), when it is still open; the person as the read model has them, else as that row."""
    faits = col(ImportLigneRow.resultat).in_(("ouvert", "mis_a_jour", "deja_connu"))
    for i in range(0, len(nirs), 500):
        q = select(ImportLigneRow).where(
            col(ImportLigneRow.nir_empreinte).in_(nirs[i : i + 500]),
            col(ImportLigneRow.parcours_id).is_not(None),
            faits,
        )
        lignes = list((await session.exec(q)).all())
        ids = sorted({str(ligne.parcours_id) for ligne in lignes})
        rows = {
            r.id: r
            for r in (
                await session.exec(select(ParcoursRow).where(col(ParcoursRow.id).in_(ids)))
            ).all()
        }
        for ligne in lignes:
            row = rows.get(str(ligne.parcours_id))
            if row is not None and (row.statut == Statut.CLOS.value or row.anonymise):
                continue
            c.par_nir[str(ligne.nir_empreinte)] = str(ligne.parcours_id)
            if row is not None:
                c.personne[row.id] = {k: row.etat.get(k) for k in ("usager", "identifiants")}
            elif ligne.accueil:
                c.personne.setdefault(str(ligne.parcours_id), ligne.accueil)
        await _par_nir_de_l_accueil(session, c, nirs[i : i + 500])


async def _par_nir_de_l_accueil(session: AsyncSession, c: Connus, nirs: list[str]) -> None:
    """The open parcours whose accueil was given this NIR (its HMAC, store/projection.py)."""
    q = (
        select(IdentifiantRow, ParcoursRow)
        .join(ParcoursRow, col(ParcoursRow.id) == col(IdentifiantRow.parcours_id))
        .where(
            IdentifiantRow.cle == CLE_NIR,
            col(IdentifiantRow.valeur).in_(nirs),
            col(ParcoursRow.statut) != Statut.CLOS.value,
            col(ParcoursRow.anonymise).is_(False),
        )
    )
    for ident, row in (await session.exec(q)).all():
        c.par_nir.setdefault(ident.valeur, row.id)
        c.personne[row.id] = {k: row.etat.get(k) for k in ("usager", "identifiants")}


def nouveautes(accueil: Accueil, personne: dict[str, Any] | None) -> list[str]:
    """What the row would change on the known person: contacts or identifiers it brings that
    the parcours does not have (an empty cell never erases anything)."""
    if personne is None:
        return []
    usager = personne.get("usager") or {}
    idents = personne.get("identifiants") or {}
    nouveau = accueil.usager.model_dump(mode="json")
    usager = usager | {"telephone": _e164(usager.get("telephone"))}
    changes = [k for k in CHAMPS_DE_CONTACT if nouveau.get(k) and nouveau[k] != usager.get(k)]
    ids = accueil.identifiants.model_dump()
    changes += [k for k in IDENTIFIANTS if ids.get(k) and ids[k] != idents.get(k)]
    return changes


def _e164(numero: str | None) -> str | None:
    """« 06 12 34 56 78 » typed at an accueil is the file's +33612345678: not a change."""
    if not numero:
        return numero
    try:
        return telephone(numero)[0]
    except ValueError:
        return numero
