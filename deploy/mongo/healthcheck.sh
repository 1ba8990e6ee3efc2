#!/bin/sh
# Healthcheck of the mongo service (docker-compose.yml), run inside the container every interval.
# Authenticates as root (the password is read from the secret file by mongosh itself, so it is
# never on a command line), initiates the single-node replica set the first time, and exits 0 only
# when this node is the writable primary; non-zero otherwise (first-start init still running,
# election under way, ...).
#
# Reads: MONGO_INITDB_ROOT_USERNAME, MONGO_INITDB_ROOT_PASSWORD_FILE, MONGO_REPLICA_SET (rs0),
# MONGO_REPLICA_HOST (mongo:27017, the address the app reaches this member at).
exec mongosh --quiet --norc "mongodb://127.0.0.1:27017/admin?directConnection=true" --eval '
const fs = require("fs");
const replSet = process.env.MONGO_REPLICA_SET || "rs0";
const host = process.env.MONGO_REPLICA_HOST || "mongo:27017";
const admin = db.getSiblingDB("admin");
admin.auth(
  process.env.MONGO_INITDB_ROOT_USERNAME,
  fs.readFileSync(process.env.MONGO_INITDB_ROOT_PASSWORD_FILE, "utf8").trim(),
);
try {
  rs.status();
} catch (error) {
  // 94 NotYetInitialized: started with --replSet, never initiated. Anything else (76
  // NoReplicationEnabled while the first-start init runs without --replSet) is left alone.
  if (error.code !== 94) throw error;
  const reply = rs.initiate({ _id: replSet, members: [{ _id: 0, host }] });
  print(`replica set ${replSet} initiated as ${host}: ok=${reply.ok}`);
}
const hello = admin.runCommand({ hello: 1 });
if (hello.setName !== replSet || !hello.isWritablePrimary) {
  print(`not primary yet (setName=${hello.setName}, isWritablePrimary=${hello.isWritablePrimary})`);
  quit(1);
}
print(`primary of ${replSet}`);
'
