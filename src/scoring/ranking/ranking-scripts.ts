// The ranking index's Lua scripts (ScoreRankingIndex runs them; keys: ranking-keys.ts).

/**
 * Applies entries atomically. Per member the hash `docs` keeps the row (score-doc.codec) followed by
 * a newline and "leadVersion:computedAt|owner" (a newline never occurs in JSON text, so the row
 * and its version part are told apart whatever the names hold); an entry older than the stored one
 * (a lower lead version, or the same one computed earlier) is skipped (concurrent writers, or a
 * rebuild racing live updates), and a change of owner moves the member between the owners' sets.
 * Scores are stored negated so that ZRANGE's ascending order is "highest first, ties by lead ref
 * ascending", as the Mongo sort `{score: -1, leadRef: 1}` orders them; last activity likewise,
 * with "never active" (+inf) last.
 *
 * Redis Cluster: every key the script touches is in KEYS (see `applyKeys`). The owners' sets a call
 * touches are those of the entries (known to the caller) and those of the members' previous owners
 * (known only to the script, in the stored docs). So the script first reads the members' docs (one
 * HMGET) and, if a previous owner's sets are not declared, writes nothing and answers {-1,
 * owners...}; the caller calls again declaring them. A batch is one round trip, two when a lead
 * changed owner. A stored doc of an earlier format (no version part) fails the call: the caller
 * invalidates the index (its owners' sets cannot be kept right without the old owner).
 * KEYS: score, activity, docs, owners, then per owner its score and activity sets.
 * ARGV: base, then per entry member, score, activity, owner, version, doc. Answers {applied}.
 */
export const APPLY_SCRIPT = `
local base = ARGV[1]
local declared = {}
for i = 5, #KEYS do declared[KEYS[i]] = true end
local members = {}
for i = 2, #ARGV, 6 do members[#members + 1] = ARGV[i] end
local stored = redis.call('HMGET', KEYS[3], unpack(members))
local current, missing, reported = {}, {}, {}
for k, member in ipairs(members) do
  local doc = stored[k]
  if doc then
    -- A doc of an earlier format (no version part): its owner is unknown here, so the owners'
    -- sets cannot be kept right. The caller invalidates the index; a rebuild starts it afresh.
    local newline = string.find(doc, '\\n', 1, true)
    if not newline then return redis.error_reply('RANKING_FORMAT the index holds docs of another format') end
    local meta = string.sub(doc, newline + 1)
    current[member] = meta
    local owner = string.sub(meta, string.find(meta, '|', 1, true) + 1)
    if owner ~= '' and not declared[base .. ':owner:' .. owner .. ':score'] and not reported[owner] then
      reported[owner] = true
      missing[#missing + 1] = owner
    end
  end
end
if #missing > 0 then
  table.insert(missing, 1, -1)
  return missing
end
local applied = 0
for i = 2, #ARGV, 6 do
  local member, score, activity, owner, version, doc = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local meta = current[member]
  local oldOwner = ''
  local newer = true
  if meta then
    local sep = string.find(meta, '|', 1, true)
    oldOwner = string.sub(meta, sep + 1)
    local old = string.sub(meta, 1, sep - 1)
    local oldColon, colon = string.find(old, ':', 1, true), string.find(version, ':', 1, true)
    local oldLead, oldAt = tonumber(string.sub(old, 1, oldColon - 1)), tonumber(string.sub(old, oldColon + 1))
    local lead, at = tonumber(string.sub(version, 1, colon - 1)), tonumber(string.sub(version, colon + 1))
    newer = oldLead < lead or (oldLead == lead and oldAt <= at)
  end
  if newer then
    if oldOwner ~= '' and oldOwner ~= owner then
      redis.call('ZREM', base .. ':owner:' .. oldOwner .. ':score', member)
      redis.call('ZREM', base .. ':owner:' .. oldOwner .. ':activity', member)
    end
    redis.call('ZADD', KEYS[1], score, member)
    redis.call('ZADD', KEYS[2], activity, member)
    if owner ~= '' then
      redis.call('SADD', KEYS[4], owner)
      redis.call('ZADD', base .. ':owner:' .. owner .. ':score', score, member)
      redis.call('ZADD', base .. ':owner:' .. owner .. ':activity', activity, member)
    end
    local entry = version .. '|' .. owner
    current[member] = entry
    redis.call('HSET', KEYS[3], member, doc .. '\\n' .. entry)
    applied = applied + 1
  end
end
return {applied}
`;

/** Marks the index complete only if nothing invalidated it since the rebuild began. */
export const MARK_READY_SCRIPT = `
if (redis.call('GET', KEYS[1]) or '0') == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[1])
  return 1
end
return 0
`;

/**
 * Drops every key of the tenant's index (before a rebuild). KEYS: see `clearKeys`, with the owners
 * the caller read from the `owners` set; an owner added since (not declared) makes it write nothing
 * and answer {-1, owners...}, and the caller calls again. ARGV: base.
 */
export const CLEAR_SCRIPT = `
local base = ARGV[1]
local declared = {}
for i = 7, #KEYS do declared[KEYS[i]] = true end
local missing = {-1}
for _, owner in ipairs(redis.call('SMEMBERS', KEYS[5])) do
  if not declared[base .. ':owner:' .. owner .. ':score'] then missing[#missing + 1] = owner end
end
if #missing > 1 then return missing end
redis.call('DEL', unpack(KEYS))
return {1}
`;

/**
 * One page in one round trip: nothing (nil) unless the index is complete, else the count and the
 * page's stored scores. KEYS: ready, the sorted set, docs. ARGV: 'rank' (by position) or 'score'
 * (up to a maximum negated score), offset, limit, maximum, 'fwd' (the set's order: highest first)
 * or 'rev' (its exact reverse: lowest first, ties by lead ref descending).
 */
export const PAGE_SCRIPT = `
if not redis.call('GET', KEYS[1]) then return false end
local refs, total
local rev = ARGV[5] == 'rev'
if ARGV[1] == 'score' then
  if rev then
    refs = redis.call('ZREVRANGEBYSCORE', KEYS[2], ARGV[4], '-inf', 'LIMIT', ARGV[2], ARGV[3])
  else
    refs = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4], 'LIMIT', ARGV[2], ARGV[3])
  end
  total = redis.call('ZCOUNT', KEYS[2], '-inf', ARGV[4])
else
  if rev then
    refs = redis.call('ZREVRANGE', KEYS[2], ARGV[2], ARGV[2] + ARGV[3] - 1)
  else
    refs = redis.call('ZRANGE', KEYS[2], ARGV[2], ARGV[2] + ARGV[3] - 1)
  end
  total = redis.call('ZCARD', KEYS[2])
end
local docs = {}
if #refs > 0 then docs = redis.call('HMGET', KEYS[3], unpack(refs)) end
return {total, docs}
`;
