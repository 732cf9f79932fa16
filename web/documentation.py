"""The API's interactive documentation (``/docs``): Swagger UI served from our own static files
(``web/static/vendor/swagger-ui``, copied from npm by ``scripts/vendor_assets.sh``) and started
by a script file, so the page lives under the same Content-Security-Policy as every other one:
no CDN, no inline script."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

SWAGGER = "/static/vendor/swagger-ui"
PAGE = f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parcours — documentation de l'API</title>
<link rel="stylesheet" href="{SWAGGER}/swagger-ui.css">
<link rel="icon" type="image/png" href="{SWAGGER}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{SWAGGER}/swagger-ui-bundle.js"></script>
<script src="/static/app/documentation.js"></script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
async def documentation() -> HTMLResponse:
    return HTMLResponse(PAGE)
