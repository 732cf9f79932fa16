"""Every CSV the platform hands out is written here, so that none can carry a formula.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and a
leading tab or carriage return can hide such a start): a name, a search term or a comment typed
by anyone could then run in the reader's spreadsheet (CSV injection). Such cells are written
with a leading apostrophe, which spreadsheets show as plain text. Numbers — negative ones too —
are left as they are, so that they stay numbers.

defusedcsv does the same for ``=+-@|%`` but not for tab nor carriage return, hence this module.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

BOM = "\ufeff"
DECLENCHEURS = ("=", "+", "-", "@", "\t", "\r")
_NOMBRE = re.compile(r"-?[0-9]+([.,][0-9]+)?")


def neutraliser(valeur: object) -> object:
    """The cell as a spreadsheet may safely read it (see the module's docstring)."""
    if valeur is None or isinstance(valeur, int | float):
        return valeur
    texte = str(valeur)
    if texte.startswith(DECLENCHEURS) and not _NOMBRE.fullmatch(texte):
        return "'" + texte
    return texte


class EcrivainCsv:
    """``csv.writer`` with every cell neutralised; ``;`` between columns, as French
    spreadsheets expect."""

    def __init__(self, tampon: io.StringIO, **options: Any) -> None:
        options.setdefault("delimiter", ";")
        options.setdefault("lineterminator", "\r\n")
        self._ecrivain = csv.writer(tampon, **options)

    def writerow(self, cellules: Iterable[object]) -> None:
        self._ecrivain.writerow([neutraliser(c) for c in cellules])


def ecrivain() -> tuple[io.StringIO, EcrivainCsv]:
    tampon = io.StringIO()
    return tampon, EcrivainCsv(tampon)
