#!/usr/bin/env bash
# Installs the local engines the project starts by itself when MONGODB_URI / REDIS_URL are absent:
#  - mongo-java-server jars from Maven Central (tools/mongo-java-server) and its launcher class;
#  - redis-server from Debian's packages (as root; otherwise prints the command to run).
# Idempotent: does nothing for what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[engines] %s\n' "$*"; }

install_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    return
  fi
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing redis-server (apt)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  else
    log "redis-server is missing. Install it with: sudo apt-get install -y redis-server (or set REDIS_URL)"
    exit 1
  fi
}

install_mongo_java_server() {
  local dir=tools/mongo-java-server
  local stamp="$dir/lib/.installed-$(sha1sum "$dir/pom.xml" | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    for tool in java mvn; do
      if ! command -v "$tool" >/dev/null 2>&1; then
        log "$tool is missing: mongo-java-server needs Java 17 and Maven (apt-get install -y openjdk-17-jdk-headless maven), or set MONGODB_URI"
        exit 1
      fi
    done
    log "fetching mongo-java-server from Maven Central"
    rm -rf "$dir/lib"
    mvn -q -B --no-transfer-progress -Dstyle.color=never -f "$dir/pom.xml" dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime
    touch "$stamp"
  fi
  local source="$dir/src/MongoJavaServerLauncher.java"
  local class="$dir/classes/MongoJavaServerLauncher.class"
  if [ ! -f "$class" ] || [ "$source" -nt "$class" ]; then
    log "compiling the mongo-java-server launcher"
    mkdir -p "$dir/classes"
    javac -d "$dir/classes" -cp "$dir/lib/*" "$source"
  fi
}

install_redis
install_mongo_java_server
