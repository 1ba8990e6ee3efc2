#!/bin/sh
# Entrypoint of the mongo service: makes sure the replica set keyFile exists, then hands over to the
# official image's entrypoint (which creates the root user and runs initdb/ on the first start of an
# empty data volume, drops to the mongodb user and starts mongod).
#
# A replica set with authentication needs a keyFile (members authenticate to each other with it; a
# single member still needs one). It is generated once into its own volume, readable only by the
# mongodb user (uid 999 in the official image): mongod refuses a keyFile that others can read.
# Runs as root (the image's default user), before the official entrypoint drops privileges.
set -eu

keyfile="${MONGO_KEYFILE:-/data/keyfile/mongo.key}"

if [ ! -s "$keyfile" ]; then
  mkdir -p "$(dirname "$keyfile")"
  umask 077
  # 756 base64-alphabet characters: the most mongod accepts is 1024.
  tr -dc 'A-Za-z0-9+/' </dev/urandom | head -c 756 >"$keyfile.tmp"
  mv "$keyfile.tmp" "$keyfile"
  echo "[mongo-keyfile] generated $keyfile"
fi
chown 999:999 "$keyfile"
chmod 0400 "$keyfile"

exec docker-entrypoint.sh "$@"
