#!/usr/bin/env bash
# Creates the secrets the compose stack reads (docker-compose.yml `secrets:`), one file each under
# ./secrets (git-ignored), or under the directory given as the first argument / SECRETS_DIR.
#
# Idempotent: a file that exists is never overwritten. Only what is missing is created, from
# random bytes (openssl when present, else /dev/urandom). The two connection URIs are derived from
# the passwords: a missing URI is written from the password file as it is now; a URI that no longer
# matches its password is reported, not rewritten.
#
#   mongo_root_password      MongoDB root user (used by the mongo container's healthcheck only)
#   mongo_app_password       MongoDB user `app`, readWrite on lead_scoring (what the app uses)
#   redis_password           Redis `requirepass`
#   grafana_admin_password   Grafana's `admin` (the observability profile)
#   jwt_secret               HS256 signing secret: 48 random bytes, base64
#   secrets_encryption_keys  `k1:<base64 of 32 random bytes>` (SECRETS_ENCRYPTION_KEYS format)
#   openai_api_key           empty: the app then uses its deterministic insight writer
#   mongodb_uri              mongodb://app:<pw>@mongo:27017/lead_scoring?replicaSet=rs0&authSource=lead_scoring
#   redis_url                redis://:<pw>@redis:6379
#
# Passwords are hex, so they need no escaping in a URI.
#
# Permissions: the directory is 0700 (no other host user can reach the files) and the files 0644,
# because Docker Compose bind-mounts file secrets as they are on the host (it ignores uid/gid/mode
# outside Swarm) and they must be readable inside the containers by users other than yours
# (mongodb 999, redis 999, node 1000).
#
# Note: MongoDB creates its users once, on the first start of an empty data volume. Changing
# mongo_root_password / mongo_app_password afterwards does not change the users (see the MongoDB
# paragraph of README "Scaling out").
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-${SECRETS_DIR:-$root/secrets}}"
db_name="${MONGO_APP_DATABASE:-lead_scoring}"
db_user="${MONGO_APP_USERNAME:-app}"

log() { printf '[secrets] %s\n' "$*"; }

random_hex() { # bytes
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -hex "$1"
  else
    od -An -v -tx1 -N "$1" /dev/urandom | tr -d ' \n'
  fi
}

random_base64() { # bytes
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -base64 "$1" | tr -d '\n'
  else
    head -c "$1" /dev/urandom | base64 | tr -d '\n'
  fi
}

created=0

# write NAME VALUE: creates $dir/NAME (no trailing newline) unless it exists.
write() {
  local file="$dir/$1"
  if [ -e "$file" ]; then
    log "kept    $1"
    return
  fi
  local tmp
  tmp="$(mktemp "$dir/.$1.XXXXXX")"
  printf '%s' "$2" >"$tmp"
  chmod 0644 "$tmp"
  mv "$tmp" "$file"
  created=$((created + 1))
  log "created $1"
}

read_secret() { tr -d '\r\n' <"$dir/$1"; }

umask 077
mkdir -p "$dir"
chmod 0700 "$dir"

write mongo_root_password "$(random_hex 32)"
write mongo_app_password "$(random_hex 32)"
write redis_password "$(random_hex 32)"
write grafana_admin_password "$(random_hex 16)"
write jwt_secret "$(random_base64 48)"
write secrets_encryption_keys "k1:$(random_base64 32)"
write openai_api_key ""

mongo_uri="mongodb://${db_user}:$(read_secret mongo_app_password)@mongo:27017/${db_name}?replicaSet=rs0&authSource=${db_name}"
redis_url="redis://:$(read_secret redis_password)@redis:6379"
write mongodb_uri "$mongo_uri"
write redis_url "$redis_url"

mismatch=0
if [ "$(read_secret mongodb_uri)" != "$mongo_uri" ]; then
  log "WARNING: mongodb_uri does not match mongo_app_password (delete mongodb_uri to derive it again)"
  mismatch=1
fi
if [ "$(read_secret redis_url)" != "$redis_url" ]; then
  log "WARNING: redis_url does not match redis_password (delete redis_url to derive it again)"
  mismatch=1
fi

log "$created created in $dir"
exit "$mismatch"
