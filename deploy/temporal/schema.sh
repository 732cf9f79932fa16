#!/bin/sh
# Creates or upgrades Temporal's two schemas with Temporal's own tool, as the auto-setup image
# did at each start (docker-compose.yml, job « temporal-schema », image temporalio/admin-tools of
# the server's version, which carries the tool and the versioned schemas). Idempotent:
# setup-schema only records the initial version on an empty database, and update-schema applies
# only the versions not yet applied; it runs again at each `docker compose up`, so an upgrade of
# the images upgrades the schema before the new server starts.
# The tool reads its connection from SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD:
# the password stays out of the command line (and of `ps`).
set -eu

: "${SQL_HOST:?SQL_HOST manquant (serveur PostgreSQL de Temporal)}"
: "${SQL_USER:?SQL_USER manquant}"
: "${SQL_PASSWORD:?SQL_PASSWORD manquant}"
export SQL_PLUGIN="${SQL_PLUGIN:-postgres12}" SQL_PORT="${SQL_PORT:-5432}"
SCHEMAS="${TEMPORAL_SCHEMAS:-/etc/temporal/schema/postgresql/v12}"

schema() {  # schema <database> <folder of its versioned schema under $SCHEMAS>
  temporal-sql-tool --db "$1" setup-schema -v 0.0
  temporal-sql-tool --db "$1" update-schema -d "$SCHEMAS/$2/versioned"
  echo "Schéma de la base « $1 » à jour."
}

schema temporal temporal
schema temporal_visibility visibility
