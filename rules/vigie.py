"""The vigie des ruptures: from a parcours state and its rules, the alerts active today.

Each rule code of ``vigie.yaml`` has one evaluator here. An evaluator lists *candidate*
alerts with the day they start (and the day they stop, when another takes over): the vigie
keeps those active today and wakes the workflow on the next day one starts or stops. Pure
and deterministic — it runs inside the workflow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.clock import local_day, start_of_day
from rules.calendrier import ajouter, ajouter_jours_ouvres
from schemas.action import ACTIONS_CLOSES, Action
from schemas.contrat import EtatContrat
from schemas.emploi import JALONS_SUIVI_JOURS, EtatEmploi
from schemas.invitation import StatutInvitation
from schemas.orientation_structure import StatutOrientation
from schemas.parcours import ParcoursState, Phase
from schemas.pmsmp import EtatPmsmp
from schemas.rdv import StatutRdv
from schemas.regles import RegleRupture, ReglesVigie
from schemas.vigie import Alerte

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Candidat:
    code: str
    cle: str
    libelle: str
    regle: RegleRupture
    du: date
    au: date | None = None  # exclusive
    echeance: date | None = None

    def actif(self, today: date) -> bool:
        return self.du <= today and (self.au is None or today < self.au)


@dataclass(frozen=True)
class Evaluation:
    alertes: list[Alerte]
    prochain_reveil: datetime | None


class _Valeurs(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _libelle(regle: RegleRupture, **valeurs: object) -> str:
    base: dict[str, object] = {
        "jours": regle.delai.valeur if regle.delai else "",
        "seuil": regle.seuil,
    }
    return regle.libelle.format_map(_Valeurs(base | valeurs))


Evaluateur = Callable[[ParcoursState, ReglesVigie, RegleRupture], Iterable[Candidat]]
EVALUATEURS: dict[str, Evaluateur] = {}


def evaluateur(code: str) -> Callable[[Evaluateur], Evaluateur]:
    def register(fn: Evaluateur) -> Evaluateur:
        EVALUATEURS[code] = fn
        return fn

    return register


def _phase_depuis(s: ParcoursState) -> date:
    return s.phases[-1].du if s.phases else s.ouvert_le


def _echeance_de_phase(s: ParcoursState, r: ReglesVigie) -> tuple[str, str, date, int] | None:
    e = r.echeance_de_phase(s.phase.value)
    if e is None:
        return None
    return (
        e.code,
        e.libelle,
        ajouter(_phase_depuis(s), e.delai, r.jours_feries),
        e.alerte_avant_jours,
    )


@evaluateur("echeance_proche")
def _echeance_proche(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    if (found := _echeance_de_phase(s, r)) is not None:
        code, label, due, before = found
        yield Candidat(
            regle.code,
            code,
            _libelle(regle, echeance=label),
            regle,
            du=due - timedelta(days=before),
            au=due + ONE_DAY,
            echeance=due,
        )


@evaluateur("echeance_depassee")
def _echeance_depassee(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    if (found := _echeance_de_phase(s, r)) is not None:
        code, label, due, _ = found
        yield Candidat(
            regle.code, code, _libelle(regle, echeance=label), regle, du=due + ONE_DAY, echeance=due
        )


def _silence(
    s: ParcoursState, r: ReglesVigie, regle: RegleRupture, suivante: str
) -> Iterable[Candidat]:
    assert regle.delai is not None
    last = s.derniere_interaction()
    start = ajouter(last, regle.delai, r.jours_feries)
    nxt = r.regle(suivante)
    end = ajouter(last, nxt.delai, r.jours_feries) if nxt and nxt.delai else None
    yield Candidat(regle.code, "silence", _libelle(regle), regle, du=start, au=end)


@evaluateur("silence_alerte")
def _silence_alerte(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    return _silence(s, r, regle, "silence_rupture")


@evaluateur("silence_rupture")
def _silence_rupture(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    return _silence(s, r, regle, "")


@evaluateur("rdv_non_honores")
def _rdv_non_honores(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    seuil = regle.seuil or 2
    known = sorted(
        (
            rdv
            for rdv in s.rdvs
            if rdv.statut in (StatutRdv.HONORE, StatutRdv.EXCUSE, StatutRdv.NON_HONORE)
        ),
        key=lambda rdv: rdv.date_heure,
    )
    last = known[-seuil:]
    if len(last) == seuil and all(rdv.statut == StatutRdv.NON_HONORE for rdv in last):
        yield Candidat(regle.code, "rdv", _libelle(regle), regle, du=local_day(last[-1].date_heure))


@evaluateur("rdv_a_renseigner")
def _rdv_a_renseigner(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    assert regle.delai is not None
    for rdv in s.rdvs:
        if rdv.statut == StatutRdv.PREVU:
            start = ajouter(local_day(rdv.date_heure), regle.delai, r.jours_feries)
            yield Candidat(regle.code, rdv.id, _libelle(regle), regle, du=start)


@evaluateur("invitation_sans_reponse")
def _invitation_sans_reponse(
    s: ParcoursState, r: ReglesVigie, regle: RegleRupture
) -> Iterable[Candidat]:
    """From N days after sending, until booked or expired (the workflow sends the relance)."""
    assert regle.delai is not None
    for inv in s.invitations:
        if inv.statut == StatutInvitation.ENVOYEE:
            du = ajouter(inv.envoyee_le, regle.delai, r.jours_feries)
            yield Candidat(regle.code, inv.id, _libelle(regle), regle, du=du, au=inv.expire_le)


@evaluateur("invitation_expiree")
def _invitation_expiree(
    s: ParcoursState, r: ReglesVigie, regle: RegleRupture
) -> Iterable[Candidat]:
    """An invitation expired without booking, until the person books a slot (from any
    later invitation). Its day is the invitation's own expiry, set from this rule's delay."""
    reservations = [i.reservee_le for i in s.invitations if i.reservee_le is not None]
    for inv in s.invitations:
        if inv.statut != StatutInvitation.ENVOYEE:
            continue
        apres = [jour for jour in reservations if jour >= inv.expire_le]
        au = min(apres) if apres else None
        yield Candidat(regle.code, inv.id, _libelle(regle), regle, du=inv.expire_le, au=au)


def _orientations_closes(
    s: ParcoursState, statuts: set[StatutOrientation]
) -> Iterable[tuple[Action, date, date | None]]:
    """Actions whose structure refused or let expire the orientation: (action, from, until a
    later action is prescribed — the référent oriented the person elsewhere)."""
    for index, action in enumerate(s.actions):
        o = action.orientation
        if o is None or o.statut not in statuts:
            continue
        if o.statut == StatutOrientation.OUVERTE and action.statut in ACTIONS_CLOSES:
            continue  # withdrawn by the référent before any answer
        du = o.repondue_le if o.statut == StatutOrientation.REFUSEE else o.expire_le
        if du is None:
            continue
        suivantes = [a.prescrite_le or a.mis_a_jour_le for a in s.actions[index + 1 :]]
        apres = [jour for jour in suivantes if jour >= du]
        yield action, du, min(apres) if apres else None


@evaluateur("orientation_refusee")
def _orientation_refusee(
    s: ParcoursState, r: ReglesVigie, regle: RegleRupture
) -> Iterable[Candidat]:
    for action, du, au in _orientations_closes(s, {StatutOrientation.REFUSEE}):
        libelle = _libelle(regle, structure=action.prescription.structure)
        yield Candidat(regle.code, action.id, libelle, regle, du=du, au=au)


@evaluateur("orientation_expiree")
def _orientation_expiree(
    s: ParcoursState, r: ReglesVigie, regle: RegleRupture
) -> Iterable[Candidat]:
    """From the orientation's own expiry (set from this rule's delay) while still unanswered;
    the workflow then marks it expired (and the alert stays, until a new orientation)."""
    statuts = {StatutOrientation.OUVERTE, StatutOrientation.EXPIREE}
    for action, du, au in _orientations_closes(s, statuts):
        libelle = _libelle(regle, structure=action.prescription.structure)
        yield Candidat(regle.code, action.id, libelle, regle, du=du, au=au)


def _signalements(s: ParcoursState) -> Iterable[tuple[str, str, date]]:
    for sig in s.signalements:
        if sig.traite_le is None:
            yield sig.evenement_id, sig.libelle, sig.le


@evaluateur("signalement_a_traiter")
def _signalement_a_traiter(
    s: ParcoursState, r: ReglesVigie, regle: RegleRupture
) -> Iterable[Candidat]:
    suite = r.regle("signalement_sans_suite")
    for key, label, day in _signalements(s):
        end = ajouter(day, suite.delai, r.jours_feries) + ONE_DAY if suite and suite.delai else None
        yield Candidat(
            regle.code,
            key,
            _libelle(regle, evenement=label),
            regle,
            du=day,
            au=end,
            echeance=end - ONE_DAY if end else None,
        )


@evaluateur("signalement_sans_suite")
def _signalement_sans_suite(
    s: ParcoursState, r: ReglesVigie, regle: RegleRupture
) -> Iterable[Candidat]:
    assert regle.delai is not None
    for key, label, day in _signalements(s):
        due = ajouter(day, regle.delai, r.jours_feries)
        yield Candidat(
            regle.code, key, _libelle(regle, evenement=label), regle, du=due + ONE_DAY, echeance=due
        )


@evaluateur("revue_contrat")
def _revue_contrat(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    c = s.contrat
    if c is None or c.etat not in (EtatContrat.ACTIF, EtatContrat.A_REVOIR) or regle.delai is None:
        return
    start = c.date_fin - timedelta(days=regle.delai.valeur)
    if any(revue.realisee_le >= start for revue in c.revues):
        return
    yield Candidat(
        regle.code,
        f"contrat-{c.numero}",
        _libelle(regle),
        regle,
        du=start,
        au=c.date_fin + ONE_DAY,
        echeance=c.date_fin,
    )


@evaluateur("contrat_termine_sans_suite")
def _contrat_termine(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    c = s.contrat
    if c is not None and not c.en_cours and s.phase not in (Phase.EMPLOI, Phase.SORTIE):
        yield Candidat(regle.code, f"contrat-{c.numero}", _libelle(regle), regle, du=c.date_fin)


def _pmsmp_a_bilanter(s: ParcoursState) -> Iterable[tuple[str, date]]:
    for p in s.pmsmp:
        if p.etat in (EtatPmsmp.EN_COURS, EtatPmsmp.A_BILANTER):
            yield p.id, p.convention.date_fin


@evaluateur("bilan_pmsmp_attendu")
def _bilan_attendu(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    suite = r.regle("pmsmp_sans_bilan")
    for key, end in _pmsmp_a_bilanter(s):
        due = ajouter(end, suite.delai, r.jours_feries) if suite and suite.delai else None
        yield Candidat(
            regle.code,
            key,
            _libelle(regle),
            regle,
            du=end + ONE_DAY,
            au=due + ONE_DAY if due else None,
            echeance=due,
        )


@evaluateur("pmsmp_sans_bilan")
def _pmsmp_sans_bilan(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    assert regle.delai is not None
    for key, end in _pmsmp_a_bilanter(s):
        due = ajouter(end, regle.delai, r.jours_feries)
        yield Candidat(regle.code, key, _libelle(regle), regle, du=due + ONE_DAY, echeance=due)


def _points_dus(s: ParcoursState) -> Iterable[tuple[int, date]]:
    e = s.emploi
    if e is None or e.etat != EtatEmploi.EN_COURS:
        return
    done = {p.jalon_jours for p in e.points}
    for jalon in JALONS_SUIVI_JOURS:
        if jalon not in done:
            yield jalon, e.embauche.date_debut + timedelta(days=jalon)


@evaluateur("point_suivi_a_faire")
def _point_a_faire(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    suite = r.regle("point_suivi_en_retard")
    for jalon, due in _points_dus(s):
        end = ajouter(due, suite.delai, r.jours_feries) + ONE_DAY if suite and suite.delai else None
        yield Candidat(
            regle.code,
            f"j{jalon}",
            _libelle(regle, jalon=jalon),
            regle,
            du=due,
            au=end,
            echeance=end - ONE_DAY if end else None,
        )


@evaluateur("point_suivi_en_retard")
def _point_en_retard(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    assert regle.delai is not None
    for jalon, due in _points_dus(s):
        late = ajouter(due, regle.delai, r.jours_feries)
        yield Candidat(
            regle.code,
            f"j{jalon}",
            _libelle(regle, jalon=jalon),
            regle,
            du=late + ONE_DAY,
            echeance=late,
        )


@evaluateur("sans_referent")
def _sans_referent(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    if s.referent is None:
        yield Candidat(regle.code, "referent", _libelle(regle), regle, du=_phase_depuis(s))


@evaluateur("transfert_non_accuse")
def _transfert(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    t = s.transfert
    if t is not None and t.accuse_le is None and regle.delai is not None:
        due = ajouter_jours_ouvres(t.demande_le, regle.delai.valeur, r.jours_feries)
        yield Candidat(
            regle.code, "transfert", _libelle(regle), regle, du=due + ONE_DAY, echeance=due
        )


@evaluateur("reprise_depassee")
def _reprise(s: ParcoursState, r: ReglesVigie, regle: RegleRupture) -> Iterable[Candidat]:
    if s.suspension is not None and s.suspension.jusqu_au is not None:
        yield Candidat(
            regle.code, "suspension", _libelle(regle), regle, du=s.suspension.jusqu_au + ONE_DAY
        )


# While a parcours is suspended, only the overdue resumption is watched.
PENDANT_SUSPENSION = frozenset({"reprise_depassee"})


def candidats(s: ParcoursState, regles: ReglesVigie) -> list[Candidat]:
    if s.clos:
        return []
    found: list[Candidat] = []
    for regle in regles.ruptures:
        if not regle.actif or (s.suspension is not None and regle.code not in PENDANT_SUSPENSION):
            continue
        found.extend(EVALUATEURS[regle.code](s, regles, regle))
    return found


def evaluer(s: ParcoursState, regles: ReglesVigie, now: datetime) -> Evaluation:
    """Alerts active today, and when to look again."""
    today = local_day(now)
    found = candidats(s, regles)
    active = [c for c in found if c.actif(today)]
    alerts = [
        Alerte(
            code=c.code,
            cle=c.cle,
            libelle=c.libelle,
            severite=c.regle.severite,
            depuis=c.du,
            echeance=c.echeance,
        )
        for c in active
    ]
    changes = [d for c in found for d in (c.du, c.au) if d is not None and d > today]
    wake = start_of_day(min(changes)) if changes else None
    return Evaluation(alertes=alerts, prochain_reveil=wake)
