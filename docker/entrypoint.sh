#!/bin/sh
# Renders the ini from the environment, then runs the web app, a background worker or a ckan command.
set -eu
envsubst < /etc/ckan/production.ini.tmpl > "$CKAN_INI"

case "${1:-web}" in
  web)
    ckan -c "$CKAN_INI" db init
    ckan -c "$CKAN_INI" db upgrade
    ckan -c "$CKAN_INI" datastore set-permissions | psql -q "$CKAN_DATASTORE_WRITE_URL"
    exec gunicorn --chdir /etc/ckan --bind 0.0.0.0:5000 --workers "${GUNICORN_WORKERS:-4}" --timeout 120 \
      wsgi:application
    ;;
  worker)
    exec ckan -c "$CKAN_INI" jobs worker default
    ;;
  *)
    exec ckan -c "$CKAN_INI" "$@"
    ;;
esac
