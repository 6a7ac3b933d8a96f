#!/bin/sh
# Checks the environment, renders the ini from it, then runs the web app, a background worker,
# the scheduler (cron, the jobs of docker/crontab) or a ckan command. `govdata-entrypoint check`
# only checks.
set -eu

# What production.ini.tmpl reads from the environment; every one is required.
SETTINGS="CKAN_SITE_URL CKAN_SECRET_KEY CKAN_JWT_SECRET CKAN_SQLALCHEMY_URL CKAN_DATASTORE_WRITE_URL
CKAN_DATASTORE_READ_URL CKAN_SOLR_URL CKAN_SOLR_USER CKAN_SOLR_PASSWORD CKAN_REDIS_URL"
SECRETS="CKAN_SECRET_KEY CKAN_JWT_SECRET CKAN_SOLR_PASSWORD"
NEWLINE='
'

# Refuses to go on when a setting is missing, left at its docker/env.example value ("change-me"),
# a secret is shorter than 32 characters, a database URL has no password, or the site is not HTTPS
# (the cookies are HTTPS-only). Lists every problem at once.
check_environment() {
  problems=""
  for name in $SETTINGS; do
    eval "value=\${$name:-}"
    case "$value" in
      "") problems="$problems
  $name is not set" ;;
      *change-me*) problems="$problems
  $name still has its example value from docker/env.example" ;;
      *"$NEWLINE"*|*%*) problems="$problems
  $name contains a line break or %, which the ini cannot hold" ;;
    esac
  done
  for name in $SECRETS; do
    eval "value=\${$name:-}"
    if [ -n "$value" ] && [ "${#value}" -lt 32 ]; then
      problems="$problems
  $name is shorter than 32 characters (make one with: openssl rand -hex 32)"
    fi
  done
  for name in CKAN_SQLALCHEMY_URL CKAN_DATASTORE_WRITE_URL CKAN_DATASTORE_READ_URL; do
    eval "value=\${$name:-}"
    case "$value" in
      *://*:?*@*) ;;
      "") ;;
      *) problems="$problems
  $name has no password" ;;
    esac
  done
  case "${CKAN_SITE_URL:-}" in
    https://*|"") ;;
    *) problems="$problems
  CKAN_SITE_URL must start with https:// (session cookies are sent over HTTPS only)" ;;
  esac
  if [ -n "$problems" ]; then
    echo "govdata: refusing to start:$problems" >&2
    exit 1
  fi
  # Not required: the token can only be made once the site runs (see README, Production).
  if [ -z "${CKAN_XLOADER_API_TOKEN:-}" ]; then
    echo "govdata: CKAN_XLOADER_API_TOKEN is not set: uploaded files will not be loaded into the DataStore." >&2
    echo "  Make one with: docker compose exec ckan ckan -c /etc/ckan/production.ini user token add <sysadmin> xloader -q" >&2
  fi
}

check_environment
if [ "${1:-web}" = check ]; then
  echo "govdata: environment complete"
  exit 0
fi

# Only the listed variables are replaced: any other "$" in the template stays as it is.
envsubst "$(printf '${%s} ' $SETTINGS)" < /etc/ckan/production.ini.tmpl > "$CKAN_INI"
chmod 600 "$CKAN_INI"
if [ -n "${CKAN_XLOADER_API_TOKEN:-}" ]; then
  ckan config-tool "$CKAN_INI" "ckanext.xloader.api_token=$CKAN_XLOADER_API_TOKEN" >/dev/null
fi

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
  scheduler)
    # Cron starts as root (compose.yaml: user root) and runs each job as ckan (docker/crontab),
    # which must read the ini; the jobs write to cron's own output, the container's log.
    if [ "$(id -u)" != 0 ]; then
      echo "govdata: the scheduler runs cron and must start as root (user: root in compose.yaml)" >&2
      exit 1
    fi
    chown ckan "$CKAN_INI"
    exec cron -f
    ;;
  *)
    exec ckan -c "$CKAN_INI" "$@"
    ;;
esac
