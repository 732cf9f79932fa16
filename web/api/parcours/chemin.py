"""Where the parcours' API lives.

Each page's router carries the full path (APIRouter(prefix=PREFIXE)) rather than getting a
prefix when it is included: FastAPI 0.165 keeps an included route as it was declared, and
the requests' metrics (core/metriques.gabarit) label each request by that route's path; with
a prefix given at inclusion, « /api/v1/parcours/{parcours_id}/… » was counted as
« /{parcours_id}/… » (tests/supervision/test_metriques.py)."""

PREFIXE = "/api/v1/parcours"
