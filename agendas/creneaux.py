"""Free slots, computed from the plages, the leave, the public holidays and the quarters
already taken. Pure: the service gives it what it read from the store."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime, timedelta

from core.clock import PARIS
from schemas.agenda import QUART_D_HEURE, Absence, Creneau, MotifRdv, Plage

QUART = timedelta(minutes=QUART_D_HEURE)


def quarts(debut: datetime, fin: datetime) -> list[datetime]:
    """The quarters of an hour a slot covers, in UTC: the keys ``creneau_pris`` is made of."""
    instant, resultat = debut.astimezone(UTC), []
    while instant < fin:
        resultat.append(instant)
        instant += QUART
    return resultat


def _ferme(jour: date, compte_id: str, absences: list[Absence], feries: Collection[date]) -> bool:
    if jour in feries:
        return True
    return any(a.compte_id == compte_id and a.du <= jour <= a.au for a in absences)


def _dans_la_plage(plage: Plage, jour: date, motif: MotifRdv) -> Iterator[Creneau]:
    duree = timedelta(minutes=motif.duree_minutes)
    # Wall-clock hours in Paris, whatever the day's offset (summer time included).
    debut = datetime.combine(jour, plage.debut, tzinfo=PARIS)
    fin_plage = datetime.combine(jour, plage.fin, tzinfo=PARIS)
    while debut + duree <= fin_plage:
        yield Creneau(
            compte_id=plage.compte_id,
            plage_id=plage.id,
            motif=motif.code,
            debut=debut.astimezone(UTC),
            fin=(debut + duree).astimezone(UTC),
            modalite=plage.modalite,
            lieu_id=plage.lieu_id,
        )
        debut += duree


def creneaux_libres(
    plages: list[Plage],
    absences: list[Absence],
    feries: Collection[date],
    pris: Collection[tuple[str, datetime]],
    motif: MotifRdv,
    du: date,
    au: date,
    pas_avant: datetime,
) -> list[Creneau]:
    """Slots for ``motif`` from ``du`` to ``au`` (both included), none starting before
    ``pas_avant``, none touching a quarter taken by another appointment of the same référent."""
    libres: list[Creneau] = []
    jour = du
    while jour <= au:
        for plage in plages:
            if int(plage.jour.value) != jour.weekday() or motif.code not in plage.motifs:
                continue
            if jour < plage.du or (plage.au is not None and jour > plage.au):
                continue
            if _ferme(jour, plage.compte_id, absences, feries):
                continue
            libres.extend(
                c
                for c in _dans_la_plage(plage, jour, motif)
                if c.debut >= pas_avant
                and not any((c.compte_id, q) in pris for q in quarts(c.debut, c.fin))
            )
        jour += timedelta(days=1)
    return sorted(libres, key=lambda c: (c.debut, c.compte_id))
