#!/usr/bin/env bash
# First-start initialisation of the `db` service (mounted into /docker-entrypoint-initdb.d of
# the official postgres image, which runs it once, on an empty data directory).
# Creates the roles and databases CKAN uses:
#   ckan          owner of the `ckan` and `datastore` databases (the site and the DataStore
#                 writer); not a superuser, so the web container never holds superuser rights
#   datastore_ro  the DataStore's read-only login; its rights on `datastore` are granted by
#                 `ckan datastore set-permissions`, which the ckan container's entrypoint applies
# Passwords come from CKAN_DB_PASSWORD and DATASTORE_RO_PASSWORD. The image may source this file
# rather than run it, so it neither exits nor changes shell options beyond `set -e`.
set -e

: "${CKAN_DB_PASSWORD:?CKAN_DB_PASSWORD is not set}"
: "${DATASTORE_RO_PASSWORD:?DATASTORE_RO_PASSWORD is not set}"

# psql variables (:'name') quote the passwords, so any character in them is safe here.
psql -X -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
    -v ckan_password="$CKAN_DB_PASSWORD" \
    -v datastore_ro_password="$DATASTORE_RO_PASSWORD" <<'SQL'
CREATE ROLE ckan LOGIN PASSWORD :'ckan_password';
CREATE ROLE datastore_ro LOGIN PASSWORD :'datastore_ro_password';
CREATE DATABASE ckan OWNER ckan ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE datastore OWNER ckan ENCODING 'UTF8' TEMPLATE template0;
-- Only the site's own role may connect to the site database: the DataStore's read-only
-- login, which runs the public's DataStore searches, must never reach it.
REVOKE CONNECT, TEMPORARY ON DATABASE ckan FROM PUBLIC;
SQL
