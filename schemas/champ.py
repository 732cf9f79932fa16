"""A cross-field check that knows which field is wrong, so that the refusal names it
(``date_fin`` rather than the whole body) and the cockpit shows it beside that field."""

from __future__ import annotations


class ChampInvalide(ValueError):
    def __init__(self, champ: str, message: str) -> None:
        super().__init__(message)
        self.champ = champ


def champ_en_cause(error: object) -> str | None:
    """The field named by a ChampInvalide inside a pydantic error dict, if any."""
    ctx = error.get("ctx") if isinstance(error, dict) else None
    cause = ctx.get("error") if isinstance(ctx, dict) else None
    return cause.champ if isinstance(cause, ChampInvalide) else None
