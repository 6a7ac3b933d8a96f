#!/bin/sh
# First start of the database container: the datastore database and its read-only role.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE ROLE datastore_ro LOGIN PASSWORD '${DATASTORE_RO_PASSWORD}';
CREATE DATABASE datastore OWNER ckan ENCODING 'UTF8';
SQL
