"""How many SMS a text costs, as the person's phone will receive it.

A text whose every character is in the GSM 03.38 alphabet goes in 7-bit characters: 160 in one
SMS; the characters of its extension table (€ [ ] { } ~ ^ \\ |) take two. One character outside
it (« ô », « ç », « œ », an emoji…) sends the whole text in UCS-2: 70 in one SMS. A longer text
is cut into parts that each lose room to the header that joins them again (153 and 67). The
alphabet comes from the gsm0338 codec; these four numbers are the standard's (3GPP TS 23.040)."""

from __future__ import annotations

from dataclasses import dataclass

import gsm0338  # type: ignore[import-untyped]  # noqa: F401 — registers the « gsm03.38 » codec

SEUL = {"GSM-7": 160, "UCS-2": 70}
PAR_PARTIE = {"GSM-7": 153, "UCS-2": 67}


@dataclass(frozen=True)
class CompteSms:
    caracteres: int  # as the person reads them
    unites: int  # 7-bit characters (GSM-7) or UTF-16 code units (UCS-2)
    encodage: str  # « GSM-7 » or « UCS-2 »
    segments: int
    par_segment: int  # room in each part, for the text of the count
    hors_alphabet: str  # the characters that forced UCS-2, in order, once each


def compter(texte: str) -> CompteSms:
    try:
        unites, encodage, hors = len(texte.encode("gsm03.38")), "GSM-7", ""
    except UnicodeEncodeError:
        unites = len(texte.encode("utf-16-le")) // 2
        encodage = "UCS-2"
        hors = "".join(dict.fromkeys(c for c in texte if not _gsm(c)))
    seul = SEUL[encodage]
    par = seul if unites <= seul else PAR_PARTIE[encodage]
    segments = max(1, -(-unites // par))
    return CompteSms(len(texte), unites, encodage, segments, par, hors)


def _gsm(caractere: str) -> bool:
    try:
        caractere.encode("gsm03.38")
    except UnicodeEncodeError:
        return False
    return True
