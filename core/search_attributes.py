"""Search attributes of the parcours workflows: what an operator can filter on in Temporal.

Never personal data here: search attributes are not encrypted. The dev server allows at
most 10 Keyword and 3 of each other type per namespace; we use 6 Keyword, 1 KeywordList,
1 Datetime and 1 Int.
"""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

PHASE = SearchAttributeKey.for_keyword("ParcoursPhase")
STATUT = SearchAttributeKey.for_keyword("ParcoursStatut")
TERRITOIRE = SearchAttributeKey.for_keyword("ParcoursTerritoire")
ORGANISME = SearchAttributeKey.for_keyword("ParcoursOrganisme")
REFERENT = SearchAttributeKey.for_keyword("ParcoursReferent")
TYPE = SearchAttributeKey.for_keyword("ParcoursType")  # parcours, contrat, pmsmp, emploi
MOTIFS = SearchAttributeKey.for_keyword_list("ParcoursMotifs")
ECHEANCE = SearchAttributeKey.for_datetime("ParcoursEcheance")
INCIDENTS = SearchAttributeKey.for_int("ParcoursIncidents")

ALL = (PHASE, STATUT, TERRITOIRE, ORGANISME, REFERENT, TYPE, MOTIFS, ECHEANCE, INCIDENTS)

CLI_TYPES = {
    "KEYWORD": "Keyword",
    "KEYWORD_LIST": "KeywordList",
    "DATETIME": "Datetime",
    "INT": "Int",
}


def cli_flags() -> list[str]:
    """``--search-attribute Name=Type`` flags for ``temporal server start-dev``."""
    flags: list[str] = []
    for key in ALL:
        flags += [
            "--search-attribute",
            f"{key.name}={CLI_TYPES[key.indexed_value_type.name.removeprefix('INDEXED_VALUE_TYPE_')]}",
        ]
    return flags
