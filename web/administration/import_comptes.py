"""Import of a structure's professionals from the list it sends (XLSX or CSV), as the people's
lists are imported: the same reader, the columns proposed from their usual names, a preview of
what each row will do, then the confirmation. Every new account is created as one created by
hand (``creer_compte``): invited by e-mail, pending its activation, audited. A person already
holding an account (same e-mail) is never created twice: a re-import of the same or a longer
list creates only the new ones."""

from __future__ import annotations

from collections import Counter

from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from importation import colonnes
from importation.colonnes import Champ
from importation.lecture import FichierIllisible, lire
from referentiels.territoires import simplifier
from schemas.common import Role, Territoire
from schemas.erreurs import CodeErreur
from services.utilisateur import Utilisateur
from store.comptes import Compte
from store.structures import Structure
from web.administration import activation
from web.administration.comptes import creer_compte, placement
from web.administration.schemas import BilanImportComptes, CompteSaisie, ImportComptes, LigneCompte
from web.administration.structures import structure
from web.erreurs import Refus

CHAMPS: tuple[Champ, ...] = (
    Champ("nom", "Nom", True, ("nom", "nom de famille", "prénom et nom", "nom complet", "agent")),
    Champ("prenom", "Prénom", False, ("prénom", "prenom", "prénoms")),
    Champ(
        "email",
        "Adresse électronique",
        True,
        ("courriel", "email", "e-mail", "mail", "adresse électronique", "adresse mail"),
    ),
    Champ("role", "Rôle", False, ("rôle", "role", "fonction", "profil")),
    Champ("territoire", "Territoire", False, ("territoire", "bassin")),
)
ACTIONS = {
    "creer": "Créer le compte et envoyer le lien",
    "deja_connu": "Compte existant, rien à faire",
    "rejetee": "Rejetée",
}
# A role or a territory as lists write them: their code or their label, any case or accent,
# and the feminine forms of the roles (« Référente », « Coordinatrice », « Administratrice… »).
ROLES = {simplifier(x): r for r in Role for x in (r.value, r.label)}
FEMININS = (
    ("referente", "referent"),
    ("coordinatrice", "coordinateur"),
    ("administratrice", "administrateur"),
)
TERRITOIRES = {simplifier(x): t for t in Territoire for x in (t.value, t.label)}


def _role(texte: str) -> Role | None:
    simple = simplifier(texte)
    for feminin, masculin in FEMININS:
        simple = simple.replace(feminin, masculin)
    return ROLES.get(simple)


def _refus_contenu(message: str) -> Refus:
    return Refus(
        422, message, CodeErreur.DONNEES_INVALIDES, [{"champ": "contenu", "message": message}]
    )


async def importer(
    session: AsyncSession,
    u: Utilisateur,
    structure_id: str,
    d: ImportComptes,
    contenu: bytes,
    *,
    adresse_publique: str,
    envoyer: activation.Envoi,
    adresse: str | None = None,
) -> BilanImportComptes:
    s = await structure(session, u, structure_id)  # 404 outside the administrator's reach
    try:
        tableau = lire(d.nom_fichier, contenu)
    except FichierIllisible as err:
        raise _refus_contenu(str(err)) from None
    correspondance = d.correspondance or colonnes.proposer(tableau.entetes, champs=CHAMPS)
    manquants = colonnes.manquants(correspondance, tableau.entetes, CHAMPS)
    if manquants and d.confirmer:
        raise Refus(422, "Correspondance des colonnes incomplète", "correspondance", manquants)
    lignes = [
        await _analyser(
            session, u, s, n, dict(zip(tableau.entetes, v, strict=True)), correspondance
        )
        for n, v in enumerate(tableau.lignes, start=2)
    ]
    if manquants:
        for ligne in lignes:
            ligne.action, ligne.erreurs = "rejetee", manquants
    await _doublons(session, lignes)
    if d.confirmer:
        for ligne in lignes:
            if ligne.action == "creer":
                await _creer(session, u, s, ligne, adresse_publique, envoyer, adresse)
    return BilanImportComptes(
        structure_id=s.id,
        entetes=tableau.entetes,
        correspondance=correspondance,
        confirme=d.confirmer,
        actions={a: Counter(ligne.action for ligne in lignes).get(a, 0) for a in ACTIONS},
        lignes=lignes,
    )


async def _analyser(
    session: AsyncSession,
    u: Utilisateur,
    s: Structure,
    numero: int,
    brut: dict[str, str],
    correspondance: dict[str, str],
) -> LigneCompte:
    """What one row will do: its account checked exactly as one typed in the form (e-mail,
    role the administrator may give, territory the structure serves)."""
    v = {c.code: brut.get(correspondance.get(c.code, ""), "").strip() for c in CHAMPS}
    nom = " ".join(x for x in (v["prenom"], v["nom"]) if x)
    ligne = LigneCompte(
        numero=numero,
        nom=nom,
        email=v["email"].lower(),
        role=None,
        territoire=None,
        action="rejetee",
        resultat=None,
        compte_id=None,
        erreurs=[],
    )
    role = _role(v["role"]) if v["role"] else Role.REFERENT
    territoire = TERRITOIRES.get(simplifier(v["territoire"])) if v["territoire"] else None
    if role is None:
        ligne.erreurs.append({"champ": "role", "message": f"Rôle inconnu : « {v['role'][:60]} »"})
    if v["territoire"] and territoire is None:
        message = f"Territoire inconnu : « {v['territoire'][:60]} »"
        ligne.erreurs.append({"champ": "territoire", "message": message})
    try:
        saisie = CompteSaisie(
            email=v["email"], nom=nom, role=role or Role.REFERENT, territoire=territoire
        )
    except ValidationError as err:
        for e in err.errors():
            champ = str(e["loc"][0]) if e["loc"] else "nom"
            libelle = "Adresse électronique" if champ == "email" else "Nom"
            ligne.erreurs.append({"champ": champ, "message": f"{libelle} : valeur invalide"})
        return ligne
    if role is None or ligne.erreurs:
        return ligne
    try:
        _, ligne.territoire = await placement(session, u, role, s.id, saisie.territoire)
    except Refus as err:
        ligne.erreurs = err.erreurs or [{"champ": "role", "message": err.message}]
        return ligne
    ligne.role = role
    ligne.action = "creer"
    return ligne


async def _doublons(session: AsyncSession, lignes: list[LigneCompte]) -> None:
    """No account twice for one e-mail: known ones are left as they are, and a second row
    of the same address in the file is rejected."""
    emails = [ligne.email for ligne in lignes if ligne.action == "creer"]
    rows = await session.exec(select(Compte).where(col(Compte.email).in_(emails)))
    connus = {c.email: c.id for c in rows.all()}
    vus: dict[str, int] = {}
    for ligne in lignes:
        if ligne.action != "creer":
            continue
        if ligne.email in connus:
            ligne.action, ligne.compte_id = "deja_connu", connus[ligne.email]
        elif ligne.email in vus:
            message = f"Même adresse qu'à la ligne {vus[ligne.email]}"
            ligne.action, ligne.erreurs = "rejetee", [{"champ": "email", "message": message}]
        else:
            vus[ligne.email] = ligne.numero


async def _creer(
    session: AsyncSession,
    u: Utilisateur,
    s: Structure,
    ligne: LigneCompte,
    adresse_publique: str,
    envoyer: activation.Envoi,
    adresse: str | None,
) -> None:
    assert ligne.role is not None
    saisie = CompteSaisie(
        email=ligne.email,
        nom=ligne.nom,
        role=ligne.role,
        structure_id=s.id,
        territoire=ligne.territoire,
    )
    try:
        vue, _ = await creer_compte(
            session, u, saisie, adresse_publique=adresse_publique, envoyer=envoyer, adresse=adresse
        )
    except Refus as err:  # created meanwhile by someone else: said on its row, nothing lost
        ligne.resultat, ligne.erreurs = (
            "rejetee",
            err.erreurs or [{"champ": "email", "message": err.message}],
        )
        return
    ligne.resultat, ligne.compte_id = "cree", vue.id
