"""The .ics file joined to an appointment's messages (issue 18), made with icalendar (RFC 5545).

A request (``METHOD:REQUEST``) for a booked or moved appointment, a cancellation
(``METHOD:CANCEL``) for a cancelled one; the same UID throughout and a growing SEQUENCE, so that
the person's calendar updates the event it holds instead of adding another."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event

from schemas.appels import EvenementCalendrier

PRODID = "-//Parcours d'insertion 74//Rendez-vous//FR"
NOM_DU_FICHIER = "rendez-vous.ics"
DOMAINE = "parcours.spie74"


def fichier_ics(evenement: EvenementCalendrier, maintenant: datetime | None = None) -> bytes:
    calendrier = Calendar()
    calendrier.add("prodid", PRODID)
    calendrier.add("version", "2.0")
    calendrier.add("method", "CANCEL" if evenement.annule else "REQUEST")
    vevent = Event()
    vevent.add("uid", f"{evenement.uid}@{DOMAINE}")
    vevent.add("dtstamp", maintenant or datetime.now(UTC))
    vevent.add("dtstart", evenement.debut.astimezone(UTC))
    vevent.add("dtend", evenement.fin.astimezone(UTC))
    vevent.add("summary", evenement.titre)
    if evenement.lieu:
        vevent.add("location", evenement.lieu)
    vevent.add("sequence", evenement.sequence)
    vevent.add("status", "CANCELLED" if evenement.annule else "CONFIRMED")
    calendrier.add_component(vevent)
    contenu: bytes = calendrier.to_ical()
    return contenu
