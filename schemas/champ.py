"""A cross-field check that knows which field is wrong, so that the refusal names it
(``date_fin`` rather than the whole body) and the cockpit shows it beside that field; and
pydantic's errors as the fields at fault with a French message, for the routes, the cockpit and
the partner events alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MESSAGES = {
    "missing": "Champ obligatoire",
    "extra_forbidden": "Champ inconnu",
    "string_too_short": "Texte trop court",
    "string_too_long": "Texte trop long",
    "string_pattern_mismatch": "Format invalide",
    "string_type": "Texte attendu",
    "int_parsing": "Nombre entier attendu",
    "int_type": "Nombre entier attendu",
    "float_parsing": "Nombre attendu",
    "bool_parsing": "Oui ou non attendu",
    "bool_type": "Oui ou non attendu",
    "date_parsing": "Date attendue au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "Date attendue au format AAAA-MM-JJ",
    "date_type": "Date attendue au format AAAA-MM-JJ",
    "datetime_parsing": "Date et heure attendues (AAAA-MM-JJTHH:MM avec fuseau)",
    "datetime_from_date_parsing": "Date et heure attendues (AAAA-MM-JJTHH:MM avec fuseau)",
    "enum": "Valeur non prévue",
    "literal_error": "Valeur non prévue",
    "too_short": "Pas assez d'éléments",
    "too_long": "Trop d'éléments",
    "greater_than": "Valeur trop petite",
    "greater_than_equal": "Valeur trop petite",
    "less_than": "Valeur trop grande",
    "less_than_equal": "Valeur trop grande",
    "model_attributes_type": "Objet attendu",
    "dict_type": "Objet attendu",
    "list_type": "Liste attendue",
    "json_invalid": "JSON invalide",
    # what else pydantic can say, so that no refusal ever reaches people in English
    "json_type": "JSON attendu",
    "float_type": "Nombre attendu",
    "int_from_float": "Nombre entier attendu (sans décimales)",
    "int_parsing_size": "Nombre trop grand",
    "finite_number": "Nombre fini attendu",
    "multiple_of": "Valeur hors du pas attendu",
    "decimal_type": "Nombre attendu",
    "decimal_parsing": "Nombre attendu",
    "datetime_type": "Date et heure attendues (AAAA-MM-JJTHH:MM avec fuseau)",
    "datetime_object_invalid": "Date et heure attendues (AAAA-MM-JJTHH:MM avec fuseau)",
    "date_from_datetime_inexact": "Date sans heure attendue (AAAA-MM-JJ)",
    "date_past": "Date passée attendue",
    "date_future": "Date future attendue",
    "datetime_past": "Date et heure passées attendues",
    "datetime_future": "Date et heure futures attendues",
    "timezone_naive": "Heure sans fuseau attendue",
    "timezone_aware": "Heure avec fuseau attendue (par exemple +01:00)",
    "time_type": "Heure attendue (HH:MM)",
    "time_parsing": "Heure attendue (HH:MM)",
    "string_unicode": "Texte attendu",
    "string_not_ascii": "Caractères ASCII attendus",
    "bytes_type": "Texte attendu",
    "none_required": "Aucune valeur attendue",
    "model_type": "Objet attendu",
    "mapping_type": "Objet attendu",
    "iterable_type": "Liste attendue",
    "tuple_type": "Liste attendue",
    "set_type": "Liste attendue",
    "frozen_set_type": "Liste attendue",
    "uuid_type": "Identifiant UUID attendu",
    "uuid_parsing": "Identifiant UUID attendu",
    "url_type": "Adresse web attendue",
    "url_parsing": "Adresse web attendue",
    "url_scheme": "Adresse web attendue (http ou https)",
    "union_tag_invalid": "Type d'objet non prévu",
    "union_tag_not_found": "Type d'objet manquant",
    "recursion_loop": "Structure trop imbriquée",
}


class ChampInvalide(ValueError):
    def __init__(self, champ: str, message: str) -> None:
        super().__init__(message)
        self.champ = champ


def champ_en_cause(error: object) -> str | None:
    """The field named by a ChampInvalide inside a pydantic error dict, if any."""
    ctx = error.get("ctx") if isinstance(error, dict) else None
    cause = ctx.get("error") if isinstance(ctx, dict) else None
    return cause.champ if isinstance(cause, ChampInvalide) else None


def _message(error: Any) -> str:
    kind = error.get("type", "")
    if kind in ("value_error", "assertion_error"):  # our validators' own French sentences
        return (
            str(error.get("msg", ""))
            .removeprefix("Value error, ")
            .removeprefix("Assertion failed, ")
        )
    if kind in ("enum", "literal_error") and (expected := (error.get("ctx") or {}).get("expected")):
        return f"Valeur non prévue ; attendu : {expected}"
    return MESSAGES.get(kind, "Valeur invalide")  # pydantic's own words are English


def champs(errors: Sequence[Any], skip_body: bool = True) -> list[dict[str, str]]:
    out = []
    for error in errors:
        loc = [str(x) for x in error.get("loc", ())]
        if skip_body and loc and loc[0] in ("body", "query", "path"):
            loc = loc[1:]
        if (champ := champ_en_cause(error)) is not None:
            loc.append(champ)
        if error.get("type") == "json_invalid":
            loc = []  # the whole body is unreadable: its location is a byte offset
        out.append({"champ": ".".join(loc) or "corps", "message": _message(error)})
    return out
