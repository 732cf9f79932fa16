#!/usr/bin/env bash
# Régénère les ressources front-end « vendorisées » dans web/static/vendor/.
#
# Télécharge les versions épinglées ci-dessous avec npm dans un dossier
# temporaire (jamais de node_modules dans le dépôt), copie uniquement les
# fichiers servis par l'application, puis vérifie que chaque url(...) des
# feuilles CSS conservées pointe vers un fichier présent.
#
# Usage : scripts/vendor_assets.sh            (depuis n'importe où)
#         KEEP_BUILD_DIR=1 scripts/vendor_assets.sh   (garde le dossier npm)
#         scripts/vendor_assets.sh --check    (vérifie seulement les url() CSS)
#
# Prérequis : node >= 18 et npm, accès au registre npm.
set -euo pipefail

# --- Versions épinglées (mettre à jour ici, puis relancer le script) -------
HTMX_VERSION="2.0.11"          # htmx.org, ligne 2.0.x (pas 4.x)
DSFR_VERSION="1.15.3"          # @gouvfr/dsfr, ligne 1.x
DSFR_CHART_VERSION="2.0.4"     # @gouvfr/dsfr-chart (web components)
SWAGGER_UI_VERSION="5.35.0"    # swagger-ui-dist (page /docs de l'API)
# ---------------------------------------------------------------------------

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${REPO_ROOT}/web/static/vendor"

log() { printf '[vendor] %s\n' "$*" >&2; }
die() { printf '[vendor] ERREUR : %s\n' "$*" >&2; exit 1; }

# Vérifie que toutes les url(...) non « data: » des CSS conservées résolvent
# vers un fichier existant (chemins relatifs au fichier CSS).
check_css_urls() {
  local status=0 css dir ref path count
  local css_files=(
    "${DEST}/dsfr/dsfr.min.css"
    "${DEST}/dsfr/utility/icons/icons.min.css"
    "${DEST}/charts/dsfr-chart/DSFRChart.css"
    "${DEST}/swagger-ui/swagger-ui.css"
  )
  for css in "${css_files[@]}"; do
    [[ -f "$css" ]] || { log "manquant : ${css#"$REPO_ROOT"/}"; status=1; continue; }
    dir="$(dirname "$css")"
    count=0
    while IFS= read -r ref; do
      [[ -z "$ref" ]] && continue
      # Ignore les URL absolues/externes éventuelles : il ne doit pas y en avoir.
      if [[ "$ref" =~ ^(https?:)?// ]]; then
        log "URL externe interdite dans ${css#"$REPO_ROOT"/} : $ref"; status=1; continue
      fi
      path="${ref%%[?#]*}"
      if [[ ! -f "${dir}/${path}" ]]; then
        log "url() non résolue dans ${css#"$REPO_ROOT"/} : $ref"; status=1
      fi
      count=$((count + 1))
    done < <(css_refs "$css")
    log "url() vérifiées : ${count} dans ${css#"$REPO_ROOT"/}"
  done
  return "$status"
}

# Liste (dédoublonnée) des url(...) d'un fichier CSS, hors data: URI.
css_refs() {
  grep -o 'url([^)]*)' "$1" \
    | sed -E "s/^url\([[:space:]]*[\"']?//; s/[\"']?[[:space:]]*\)$//" \
    | grep -v '^data:' \
    | sort -u || true
}

if [[ "${1:-}" == "--check" ]]; then
  if check_css_urls; then log "OK"; exit 0; fi
  die "références CSS cassées"
fi

command -v npm >/dev/null || die "npm introuvable"
command -v node >/dev/null || die "node introuvable"

BUILD_DIR="$(mktemp -d "${TMPDIR:-/tmp}/vendor-build.XXXXXX")"
cleanup() {
  if [[ "${KEEP_BUILD_DIR:-0}" == "1" ]]; then
    log "dossier de build conservé : ${BUILD_DIR}"
  else
    rm -rf "${BUILD_DIR}"
  fi
}
trap cleanup EXIT

log "installation npm dans ${BUILD_DIR}"
(
  cd "${BUILD_DIR}"
  printf '{ "name": "parcours-vendor-build", "private": true }\n' > package.json
  npm install --save-exact --ignore-scripts --no-audit --no-fund --loglevel=error \
    "htmx.org@${HTMX_VERSION}" \
    "@gouvfr/dsfr@${DSFR_VERSION}" \
    "@gouvfr/dsfr-chart@${DSFR_CHART_VERSION}" \
    "swagger-ui-dist@${SWAGGER_UI_VERSION}" >&2
)
NM="${BUILD_DIR}/node_modules"

# Contrôle des versions réellement installées.
check_version() {
  local pkg="$1" want="$2" got
  got="$(node -p "require('${NM}/${pkg}/package.json').version")"
  [[ "$got" == "$want" ]] || die "${pkg} : version ${got} installée, ${want} attendue"
  log "${pkg}@${got}"
}
check_version htmx.org "${HTMX_VERSION}"
check_version @gouvfr/dsfr "${DSFR_VERSION}"
check_version @gouvfr/dsfr-chart "${DSFR_CHART_VERSION}"
check_version swagger-ui-dist "${SWAGGER_UI_VERSION}"

# On repart de zéro pour les dossiers gérés par ce script (README.md conservé).
mkdir -p "${DEST}"
rm -rf "${DEST}/htmx" "${DEST}/dsfr" "${DEST}/charts" "${DEST}/swagger-ui"

# --- htmx ------------------------------------------------------------------
mkdir -p "${DEST}/htmx"
cp "${NM}/htmx.org/dist/htmx.min.js"      "${DEST}/htmx/htmx.min.js"
cp "${NM}/htmx.org/LICENSE"               "${DEST}/htmx/LICENSE"

# --- DSFR ------------------------------------------------------------------
SRC_DSFR="${NM}/@gouvfr/dsfr/dist"
mkdir -p "${DEST}/dsfr/utility/icons"
cp "${SRC_DSFR}/dsfr.min.css"             "${DEST}/dsfr/"
cp "${SRC_DSFR}/dsfr.module.min.js"       "${DEST}/dsfr/"
cp "${SRC_DSFR}/dsfr.nomodule.min.js"     "${DEST}/dsfr/"
cp "${SRC_DSFR}/utility/icons/icons.min.css" "${DEST}/dsfr/utility/icons/"
cp -R "${SRC_DSFR}/favicon"               "${DEST}/dsfr/favicon"
cp "${NM}/@gouvfr/dsfr/LICENSE.md"        "${DEST}/dsfr/LICENSE.md"

# Polices : dsfr.min.css déclare woff2 ET woff dans chaque @font-face, on
# copie donc exactement les fichiers référencés (Marianne + Spectral).
mkdir -p "${DEST}/dsfr/fonts"
while IFS= read -r ref; do
  case "$ref" in
    fonts/*) cp "${SRC_DSFR}/${ref}" "${DEST}/dsfr/${ref}" ;;
  esac
done < <(css_refs "${SRC_DSFR}/dsfr.min.css")

# Icônes SVG : uniquement celles référencées par dsfr.min.css (icons/...) et
# par utility/icons/icons.min.css (../../icons/...), arborescence conservée.
{
  css_refs "${SRC_DSFR}/dsfr.min.css" | grep '^icons/' || true
  css_refs "${SRC_DSFR}/utility/icons/icons.min.css" | sed -n 's#^\.\./\.\./icons/#icons/#p'
} | sort -u | while IFS= read -r ref; do
  mkdir -p "${DEST}/dsfr/$(dirname "$ref")"
  cp "${SRC_DSFR}/${ref}" "${DEST}/dsfr/${ref}"
done

# --- Graphiques : DSFR Chart (bundle complet ESM + CSS) ---------------------
SRC_CHART="${NM}/@gouvfr/dsfr-chart/dist/DSFRChart"
mkdir -p "${DEST}/charts/dsfr-chart"
cp "${SRC_CHART}/DSFRChart.js"            "${DEST}/charts/dsfr-chart/"
cp "${SRC_CHART}/DSFRChart.css"           "${DEST}/charts/dsfr-chart/"
cp "${NM}/@gouvfr/dsfr-chart/LICENSE"     "${DEST}/charts/dsfr-chart/LICENSE"

# --- Swagger UI (page /docs, servie sous la CSP de l'application) -----------
SRC_SWAGGER="${NM}/swagger-ui-dist"
mkdir -p "${DEST}/swagger-ui"
cp "${SRC_SWAGGER}/swagger-ui-bundle.js"  "${DEST}/swagger-ui/"
cp "${SRC_SWAGGER}/swagger-ui.css"        "${DEST}/swagger-ui/"
cp "${SRC_SWAGGER}/favicon-32x32.png"     "${DEST}/swagger-ui/"
cp "${SRC_SWAGGER}/LICENSE"               "${DEST}/swagger-ui/LICENSE"

# --- Vérifications -----------------------------------------------------------
check_css_urls || die "références CSS cassées"

# Aucune ressource ne doit être chargée depuis un CDN : on signale les
# éventuels @import externes dans les CSS conservées.
if grep -l '@import' "${DEST}"/dsfr/*.css "${DEST}"/dsfr/utility/icons/*.css "${DEST}"/charts/dsfr-chart/*.css 2>/dev/null; then
  die "@import inattendu dans une CSS vendorisée"
fi

log "fichiers : $(find "${DEST}" -type f | wc -l)"
log "taille (octets réels) : $(du -sh --apparent-size "${DEST}" | cut -f1)"
log "taille (disque) : $(du -sh "${DEST}" | cut -f1)"
log "terminé"
