"""The refusal a service or a route raises: a status code, a French message for people, the
fields at fault for machines. The web app turns it into a problem detail (API) or a French page
(cockpit), in web/erreurs.py; it lives here so that the services below the routes raise the
same refusal as the routes did."""

from __future__ import annotations


class Refus(Exception):
    """Raised by services and routes: becomes a JSON error (API) or a French page (cockpit)."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        erreurs: list[dict[str, str]] | None = None,
        attente_s: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
        self.erreurs = erreurs or []  # the fields at fault, for machines
        self.attente_s = attente_s  # a 429's « Retry-After », for machines and browsers
