#!/bin/sh
# Solr with BasicAuth: writes security.json from the environment (hashes only, never the
# passwords), then creates the core and runs Solr as the image's solr-precreate does.
# Accounts: "admin" (everything) and the one CKAN uses: reads and writes core "ckan", edits its
# synonyms (the bureau's /search/synonyms page) and reloads it, nothing else.
set -eu

refuse() { echo "solr: refusing to start: $1" >&2; exit 1; }
for name in SOLR_ADMIN_PASSWORD CKAN_SOLR_PASSWORD; do
  eval "value=\${$name:-}"
  case "$value" in
    ""|*change-me*) refuse "$name is not set or has its example value" ;;
  esac
  [ "${#value}" -ge 32 ] || refuse "$name is shorter than 32 characters (make one with: openssl rand -hex 32)"
done
case "${CKAN_SOLR_USER:-}" in
  ""|admin|*[!A-Za-z0-9_-]*) refuse "CKAN_SOLR_USER must be a plain name other than admin" ;;
esac

# Solr's Sha256AuthenticationProvider: base64(sha256(sha256(salt + password))) and base64(salt).
credentials() {
  salt=$(mktemp)
  openssl rand 32 > "$salt"
  digest=$({ cat "$salt"; printf '%s' "$1"; } | openssl dgst -sha256 -binary | openssl dgst -sha256 -binary | base64)
  printf '%s %s' "$digest" "$(base64 < "$salt")"
  rm -f "$salt"
}

init-var-solr
umask 077
cat > "${SOLR_HOME:-/var/solr/data}/security.json" <<JSON
{
  "authentication": {
    "class": "solr.BasicAuthPlugin",
    "blockUnknown": true,
    "forwardCredentials": false,
    "credentials": {
      "admin": "$(credentials "$SOLR_ADMIN_PASSWORD")",
      "$CKAN_SOLR_USER": "$(credentials "$CKAN_SOLR_PASSWORD")"
    }
  },
  "authorization": {
    "class": "solr.RuleBasedAuthorizationPlugin",
    "user-role": {"admin": ["admin"], "$CKAN_SOLR_USER": ["ckan"]},
    "permissions": [
      {"name": "ckan-synonyms", "collection": "ckan", "path": "/schema/analysis/synonyms/*", "role": ["ckan", "admin"]},
      {"name": "ckan-reload", "path": "/admin/cores", "params": {"action": ["RELOAD", "STATUS"], "core": ["ckan"]}, "role": ["ckan", "admin"]},
      {"name": "ckan-system-info", "path": "/admin/info/system", "role": ["ckan", "admin"]},
      {"name": "security-edit", "role": "admin"},
      {"name": "security-read", "role": "admin"},
      {"name": "schema-edit", "role": "admin"},
      {"name": "config-edit", "role": "admin"},
      {"name": "core-admin-edit", "role": "admin"},
      {"name": "core-admin-read", "role": "admin"},
      {"name": "ckan-core", "collection": "ckan", "path": "/*", "role": ["ckan", "admin"]},
      {"name": "all", "role": "admin"}
    ]
  }
}
JSON
exec solr-precreate "$@"
