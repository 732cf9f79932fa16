#!/usr/bin/env bash
# Installe les outils système dont les tests ont besoin, s'ils manquent :
#   - Chromium et chromedriver (tests dans un vrai navigateur) ;
#   - PostgreSQL (tests du modèle de lecture sur PostgreSQL).
# Paquets Debian ; il faut être root (c'est le cas en CI) ou les installer soi-même.
set -euo pipefail

manquants=()
command -v chromium >/dev/null 2>&1 || manquants+=(chromium chromium-driver)
if ! command -v pg_ctl >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  manquants+=(postgresql)
fi
[ ${#manquants[@]} -eq 0 ] && exit 0

echo "Outils système manquants : ${manquants[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Installez-les (Debian : sudo apt-get install -y ${manquants[*]}) puis relancez « make test »." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "${manquants[@]}" >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q "${manquants[@]}" >/dev/null
}
echo "Installés : ${manquants[*]}"
