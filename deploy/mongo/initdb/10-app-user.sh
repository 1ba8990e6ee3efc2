# Creates the application's MongoDB user: readWrite on the app database only (no admin roles; the
# app runs buildInfo, which needs none). Sourced by the official image's entrypoint (bash), once, on
# the first start of an empty data volume, while a temporary mongod without authentication runs
# on 127.0.0.1:27017 (the root user has just been created from MONGO_INITDB_ROOT_*).
#
# Reads (set in docker-compose.yml): MONGO_APP_DATABASE (lead_scoring), MONGO_APP_USERNAME (app),
# MONGO_APP_PASSWORD_FILE (the secret; surrounding whitespace trimmed). mongosh reads the file
# itself, so the password is never on a command line. It must match the password in the
# `mongodb_uri` secret: scripts/compose-secrets.sh derives that URI from the same file.
mongosh --host 127.0.0.1 --port 27017 --quiet --norc --eval '
const fs = require("fs");
const dbName = process.env.MONGO_APP_DATABASE || "lead_scoring";
const user = process.env.MONGO_APP_USERNAME || "app";
const passwordFile = process.env.MONGO_APP_PASSWORD_FILE;
if (!passwordFile) throw new Error("MONGO_APP_PASSWORD_FILE is not set");
const pwd = fs.readFileSync(passwordFile, "utf8").trim();
if (pwd.length < 16) throw new Error(`${passwordFile}: the app password must be at least 16 characters`);
const target = db.getSiblingDB(dbName);
const roles = [{ role: "readWrite", db: dbName }];
if (target.getUser(user)) {
  target.updateUser(user, { pwd, roles });
  print(`[initdb] updated user ${user} on ${dbName} (readWrite)`);
} else {
  target.createUser({ user, pwd, roles });
  print(`[initdb] created user ${user} on ${dbName} (readWrite)`);
}
'
