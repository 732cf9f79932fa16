"""A refused partner event: status, French message, machine code, and the fields at fault."""

from __future__ import annotations


class RefusEvenement(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        erreurs: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
        self.erreurs = erreurs or []
        self.headers = headers or {}

    @classmethod
    def champ(cls, status: int, code: str, champ: str, message: str) -> RefusEvenement:
        """A refusal about one field: the field is named for machines, the message for people."""
        return cls(
            status, f"Champ « {champ} » : {message}", code, [{"champ": champ, "message": message}]
        )
