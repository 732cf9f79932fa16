"""Password hashing with argon2id (OWASP's first choice)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verifying against this hash when the account does not exist keeps login time constant,
# so response times do not reveal which e-mails have an account.
_LEURRE = _hasher.hash("leurre-pour-temps-constant")


def hacher(mot_de_passe: str) -> str:
    return _hasher.hash(mot_de_passe)


def verifier(empreinte: str | None, mot_de_passe: str) -> bool:
    try:
        return _hasher.verify(empreinte or _LEURRE, mot_de_passe) and empreinte is not None
    except (VerificationError, InvalidHashError):
        return False
