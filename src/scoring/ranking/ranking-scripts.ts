// The ranking index's Lua scripts (ScoreRankingIndex runs them; keys: ranking-keys.ts).

import { SCORE_DOC_ROW_START as ROW_START } from './score-doc.codec';

/**
 * Records a bucket holds before it splits in two (the app's; tests pass smaller ones to exercise
 * splits and merges). A change of a record copies its bucket's string: 64 records are 1,280 bytes.
 */
export const BUCKET_RECORDS = 64;

/**
 * The orderings, as packed buckets. A group of leads (the tenant's, or one owner's) keeps two
 * orderings, kind `s` (by score) and kind `a` (by last activity), in two keys:
 * - `order`, a hash: field kind..id is a bucket, a string of 20-byte records sorted ascending, each
 *   the sort key of the negated score (or negated last activity, +inf for never: last) in 8 bytes
 *   (an IEEE double made byte-comparable) followed by the lead ref's 12 bytes; so ascending is
 *   "highest first, ties by lead ref ascending", the order of the Mongo sort `{score: -1, leadRef:
 *   1}`. Field `#n` counts the group's leads, `#seq` numbers new buckets.
 * - `dir`, a sorted set compared by bytes (all scores 0, ZRANGEBYLEX): per bucket its kind, its
 *   bound (the first record it may hold: 20 bytes; a kind's first bucket has 20 zero bytes) and its
 *   id. A record belongs to the bucket with the greatest bound not above it.
 *
 * Why (MEMORY USAGE, 20,000 leads): a sorted set of that size is a skiplist, ~123 bytes a member,
 * 246 bytes a lead for the two orderings (four with an owner); a record here is 20 bytes, with
 * one bucket's bound and field (~150 bytes) for every 32–64 records. Records are compared as five
 * big-endian 32-bit integers, never as Lua strings (Lua compares strings with strcoll: the
 * server's locale).
 */
const BUCKETS_LUA = `
local REC = 20
local ZERO = string.rep('\\0', REC)
local MAXID = string.rep('\\255', 12)
-- Locals: a global's lookup costs a table access each time (~15 % of an update's CPU).
local sub, byte, char, find, match = string.sub, string.byte, string.char, string.find, string.match
local pack, unpack5, floor, call = struct.pack, struct.unpack, math.floor, redis.call

-- The byte-comparable form of a double: sign bit flipped for positives, every bit for negatives.
local function sortkey(x)
  if x == 0 then x = 0 end
  local b1, b2, b3, b4, b5, b6, b7, b8 = byte(pack('>d', x), 1, 8)
  if b1 >= 128 then
    return char(255 - b1, 255 - b2, 255 - b3, 255 - b4, 255 - b5, 255 - b6, 255 - b7, 255 - b8)
  end
  return char(b1 + 128, b2, b3, b4, b5, b6, b7, b8)
end

-- The sort key of a lead's score, and of its last activity (base 36 ms, empty: never, last).
local function scorekey(text)
  return sortkey(-tonumber(text))
end
local function activitykey(text)
  if text == '' then return sortkey(math.huge) end
  if byte(text, 1) == 45 then return sortkey(tonumber(sub(text, 2), 36)) end -- '-': before 1970
  return sortkey(-tonumber(text, 36))
end

-- A lead ref's 12 bytes from its 24 hex digits (the docs' field and the records' tail).
local function tobytes(hex)
  return pack('>I4I4I4', tonumber(sub(hex, 1, 8), 16), tonumber(sub(hex, 9, 16), 16), tonumber(sub(hex, 17, 24), 16))
end

local function nextkind(kind)
  return char(byte(kind) + 1)
end

-- Records of a bucket below a record (binary search, comparing five 32-bit integers).
local function rankin(bucket, rec)
  local p1, p2, p3, p4, p5 = unpack5('>I4I4I4I4I4', rec)
  local lo, hi = 0, #bucket / REC
  while lo < hi do
    local mid = floor((lo + hi) / 2)
    local r1, r2, r3, r4, r5 = unpack5('>I4I4I4I4I4', bucket, mid * REC + 1)
    local below
    if r1 ~= p1 then below = r1 < p1
    elseif r2 ~= p2 then below = r2 < p2
    elseif r3 ~= p3 then below = r3 < p3
    elseif r4 ~= p4 then below = r4 < p4
    else below = r5 < p5 end
    if below then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- A group's keys, with the buckets a call read or wrote (written back once, by flush).
local function group(dir, order)
  return {dir = dir, order = order, cache = {}, dirty = {}, delta = 0}
end

local function getbucket(g, field)
  local value = g.cache[field]
  if value == nil then
    value = call('HGET', g.order, field) or ''
    g.cache[field] = value
  end
  return value or ''
end

local function putbucket(g, field, value)
  g.cache[field] = value
  g.dirty[field] = true
end

-- The dir member and field of the bucket a record belongs to (nil: the kind has no bucket).
local function locate(g, kind, rec)
  local member = call('ZREVRANGEBYLEX', g.dir, '(' .. kind .. rec .. '\\255', '[' .. kind, 'LIMIT', 0, 1)[1]
  if member then return member, kind .. sub(member, REC + 2) end
  return nil
end

local function newbucket(g, kind, bound, value)
  local id = call('HINCRBY', g.order, '#seq', 1)
  call('ZADD', g.dir, 0, kind .. bound .. id)
  putbucket(g, kind .. id, value)
end

local function insert(g, kind, rec, cap)
  local member, field = locate(g, kind, rec)
  if not member then
    newbucket(g, kind, ZERO, rec)
    return
  end
  local bucket = getbucket(g, field)
  local at = rankin(bucket, rec) * REC
  bucket = sub(bucket, 1, at) .. rec .. sub(bucket, at + 1)
  if #bucket > cap * REC then
    local half = floor(#bucket / REC / 2) * REC
    local upper = sub(bucket, half + 1)
    bucket = sub(bucket, 1, half)
    newbucket(g, kind, sub(upper, 1, REC), upper)
  end
  putbucket(g, field, bucket)
end

-- False when the record is not there (the index is out of step with itself).
local function remove(g, kind, rec, cap)
  local member, field = locate(g, kind, rec)
  if not member then return false end
  local bucket = getbucket(g, field)
  local at = rankin(bucket, rec) * REC
  if sub(bucket, at + 1, at + REC) ~= rec then return false end
  bucket = sub(bucket, 1, at) .. sub(bucket, at + REC + 1)
  local first = sub(member, 2, REC + 1) == ZERO
  if #bucket == 0 and not first then
    -- Its records' range falls to the bucket before it.
    call('ZREM', g.dir, member)
    putbucket(g, field, false)
    return true
  end
  if #bucket < cap * REC / 4 then
    -- A small bucket takes in the next one when both fit in three quarters of one.
    local nextmember = call('ZRANGEBYLEX', g.dir, '(' .. member, '(' .. nextkind(kind), 'LIMIT', 0, 1)[1]
    if nextmember then
      local nextfield = kind .. sub(nextmember, REC + 2)
      local nextbucket = getbucket(g, nextfield)
      if #bucket + #nextbucket <= cap * REC * 3 / 4 then
        bucket = bucket .. nextbucket
        call('ZREM', g.dir, nextmember)
        putbucket(g, nextfield, false)
      end
    end
  end
  putbucket(g, field, bucket)
  return true
end

-- Writes back the buckets a call changed and the group's count; drops a group left empty.
local function flush(g)
  local set, dropped = {}, {}
  for field in pairs(g.dirty) do
    local value = g.cache[field]
    if value then
      set[#set + 1] = field
      set[#set + 1] = value
    else
      dropped[#dropped + 1] = field
    end
    if #set >= 1000 then
      call('HSET', g.order, unpack(set))
      set = {}
    end
    if #dropped >= 1000 then
      call('HDEL', g.order, unpack(dropped))
      dropped = {}
    end
  end
  if #set > 0 then call('HSET', g.order, unpack(set)) end
  if #dropped > 0 then call('HDEL', g.order, unpack(dropped)) end
  if g.delta ~= 0 and call('HINCRBY', g.order, '#n', g.delta) <= 0 then
    call('DEL', g.dir, g.order)
  end
end

-- Walks the kind's buckets from the first (step 1) or the last (step -1): visit(len, field)
-- returns true to stop.
local function walk(g, kind, step, visit)
  local lo, hi = '[' .. kind, '(' .. nextkind(kind)
  -- Few members first (a first page needs one or two buckets), more as the walk goes on.
  local batch = 4
  while true do
    local members
    if step == 1 then
      members = call('ZRANGEBYLEX', g.dir, lo, hi, 'LIMIT', 0, batch)
    else
      members = call('ZREVRANGEBYLEX', g.dir, hi, lo, 'LIMIT', 0, batch)
    end
    for _, member in ipairs(members) do
      local field = kind .. sub(member, REC + 2)
      if visit(call('HSTRLEN', g.order, field) / REC, field, member) then return end
    end
    if #members < batch then return end
    if step == 1 then lo = '(' .. members[#members] else hi = '(' .. members[#members] end
    if batch < 128 then batch = batch * 2 end
  end
end

-- The records at ascending positions [from, to) of the kind's n records, from whichever end is nearer.
local function collect(g, kind, from, to, n)
  local out = {}
  if from >= to then return out end
  local want = to - from
  if from <= n - to then
    local skip = from
    walk(g, kind, 1, function(len, field)
      if skip >= len then
        skip = skip - len
        return false
      end
      local bucket = call('HGET', g.order, field)
      for k = skip, math.min(len, skip + want - #out) - 1 do
        out[#out + 1] = sub(bucket, k * REC + 1, k * REC + REC)
      end
      skip = 0
      return #out >= want
    end)
  else
    local skip, reversed = n - to, {}
    walk(g, kind, -1, function(len, field)
      if skip >= len then
        skip = skip - len
        return false
      end
      local bucket = call('HGET', g.order, field)
      for k = len - 1 - skip, math.max(0, len - skip - (want - #reversed)), -1 do
        reversed[#reversed + 1] = sub(bucket, k * REC + 1, k * REC + REC)
      end
      skip = 0
      return #reversed >= want
    end)
    for k = #reversed, 1, -1 do out[#out + 1] = reversed[k] end
  end
  return out
end

-- How many of the kind's n records are at or below the sort key (the probe: the key and the
-- greatest lead ref, which no ObjectId reaches).
local function countupto(g, kind, key, n)
  local rec = key .. MAXID
  local member, field = locate(g, kind, rec)
  if not member then return 0 end
  local within = rankin(call('HGET', g.order, field) or '', rec)
  local before = call('ZLEXCOUNT', g.dir, '[' .. kind, '(' .. member)
  local after = call('ZLEXCOUNT', g.dir, '(' .. member, '(' .. nextkind(kind))
  local sum = 0
  if before <= after then
    walk(g, kind, 1, function(len, _, visited)
      if visited == member then return true end
      sum = sum + len
      return false
    end)
    return sum + within
  end
  local len = call('HSTRLEN', g.order, field) / REC
  walk(g, kind, -1, function(blen, _, visited)
    if visited == member then return true end
    sum = sum + blen
    return false
  end)
  return n - sum - (len - within)
end
`;

/**
 * Applies entries atomically. The hash `docs` keeps each lead's stored text (score-doc.codec: the
 * row, a newline, then "leadVersion:computedAt|owner|score|activity"), under the lead ref's 12
 * bytes; the script reads a lead's place in the orderings from it. An entry older than the stored
 * one (a lower lead version, or the same one computed earlier) is skipped (concurrent writers, or a
 * rebuild racing live updates); a changed score or activity moves the lead's records, a change of
 * owner moves it between the owners' orderings.
 *
 * Redis Cluster: every key the script touches is in KEYS (see `applyKeys`). The owners' keys a call
 * touches are those of the entries (known to the caller) and those of the members' previous owners
 * (known only to the script, in the stored docs). So the script first reads the members' docs (one
 * HMGET) and, if a previous owner's keys are not declared, writes nothing and answers {-1,
 * owners...}; the caller calls again declaring them. A batch is one round trip, two when a lead
 * changed owner. A stored doc of another format, or a lead the orderings do not hold where its doc
 * says, fails the call: the caller invalidates the index, and a rebuild starts it afresh.
 *
 * While a rebuild lays out the orderings (`building` exists) the entries are not applied but kept in
 * `pending` (the newest of each lead, by the same order), for the rebuild to apply when it ends.
 * KEYS: docs, owners, dir, order, ready, generation, building, pending, then per owner its dir and
 * order.
 * ARGV: the layout's base (\`RankingKeys.layout\`), bucket records, then per entry its lead ref
 * (hex) and stored text.
 * Answers {applied}.
 */
export const APPLY_SCRIPT = `${BUCKETS_LUA}
local base, cap = ARGV[1], tonumber(ARGV[2])
local declared = {}
for i = 9, #KEYS do declared[KEYS[i]] = true end
-- A text's ordering part, or nil when it is of another format (or its numbers do not read): every
-- entry is read whole here, before anything is written. The score must be a finite number (Lua's
-- tonumber also takes 'nan' and 'inf', which the app's readScoreDocOrdering refuses), and the last
-- activity empty or base-36 digits after an optional '-'.
local function parse(doc)
  local newline = find(doc, '\\n', 1, true)
  if not newline or sub(doc, 1, ${ROW_START.length}) ~= '${ROW_START}' then return nil end
  local lead, at, owner, score, activity = match(sub(doc, newline + 1), '^(%d+):(%w+)|(.*)|([^|]*)|(%-?%w*)$')
  if not lead then return nil end
  local n = tonumber(score)
  if not n or n ~= n or n == math.huge or n == -math.huge or not tonumber(at, 36) then return nil end
  if activity ~= '' and not tonumber(byte(activity, 1) == 45 and sub(activity, 2) or activity, 36) then
    return nil
  end
  return {lead = tonumber(lead), at = tonumber(at, 36), owner = owner, score = score, activity = activity}
end
-- Every entry is read before anything is written: a call refused for its input writes nothing.
local refs, entries = {}, {}
for i = 3, #ARGV, 2 do
  local entry = parse(ARGV[i + 1])
  if not entry or not match(ARGV[i], '^%x+$') or #ARGV[i] ~= 24 then
    return redis.error_reply('RANKING_FORMAT an entry of another format')
  end
  refs[#refs + 1] = tobytes(ARGV[i])
  entries[#entries + 1] = entry
end
if call('EXISTS', KEYS[7]) == 1 then
  -- A rebuild is laying out the orderings whole (RankingRebuild): the entries wait in \`pending\`,
  -- the newest of each lead, and are applied here once it has written them.
  local held = call('HMGET', KEYS[8], unpack(refs))
  local waiting, applied = {}, 0
  for k, ref in ipairs(refs) do
    local old = waiting[ref]
    if old == nil then old = (held[k] and parse(held[k])) or false end
    local entry = entries[k]
    if not old or old.lead < entry.lead or (old.lead == entry.lead and old.at <= entry.at) then
      waiting[ref] = entry
      call('HSET', KEYS[8], ref, ARGV[2 * k + 2])
      applied = applied + 1
    else
      waiting[ref] = old
    end
  end
  return {applied}
end
local stored = call('HMGET', KEYS[1], unpack(refs))
local current, missing, reported = {}, {}, {}
for k, ref in ipairs(refs) do
  if stored[k] then
    local old = parse(stored[k])
    if not old then return redis.error_reply('RANKING_FORMAT the index holds docs of another format') end
    current[ref] = old
    if old.owner ~= '' and not declared[base .. ':owner:' .. old.owner .. ':dir'] and not reported[old.owner] then
      reported[old.owner] = true
      missing[#missing + 1] = old.owner
    end
  end
end
if #missing > 0 then
  table.insert(missing, 1, -1)
  return missing
end

local tenant = group(KEYS[3], KEYS[4])
local groups = {tenant}
local byowner = {}
local function ownergroup(owner)
  local g = byowner[owner]
  if not g then
    g = group(base .. ':owner:' .. owner .. ':dir', base .. ':owner:' .. owner .. ':order')
    byowner[owner] = g
    groups[#groups + 1] = g
  end
  return g
end

local applied, broken = 0, false
local function move(g, kind, old, new)
  if old == new then return end
  if old and not remove(g, kind, old, cap) then broken = true end
  if new then insert(g, kind, new, cap) end
end

for k, ref in ipairs(refs) do
  local doc, entry = ARGV[2 * k + 2], entries[k]
  local old = current[ref]
  if not old or old.lead < entry.lead or (old.lead == entry.lead and old.at <= entry.at) then
    -- Sort keys only where they change (a rescoring leaves the activity, a visit may leave the score).
    local s, a, olds, olda
    if old then
      if old.score ~= entry.score then
        olds, s = scorekey(old.score) .. ref, scorekey(entry.score) .. ref
      end
      if old.activity ~= entry.activity then
        olda, a = activitykey(old.activity) .. ref, activitykey(entry.activity) .. ref
      end
    else
      s, a = scorekey(entry.score) .. ref, activitykey(entry.activity) .. ref
      tenant.delta = tenant.delta + 1
    end
    move(tenant, 's', olds, s)
    move(tenant, 'a', olda, a)
    if old and old.owner == entry.owner then
      if entry.owner ~= '' then
        move(ownergroup(entry.owner), 's', olds, s)
        move(ownergroup(entry.owner), 'a', olda, a)
      end
    else
      -- A new owner: the lead leaves the old one's orderings whole and joins the new one's.
      s = s or scorekey(entry.score) .. ref
      a = a or activitykey(entry.activity) .. ref
      if old and old.owner ~= '' then
        local g = ownergroup(old.owner)
        move(g, 's', scorekey(old.score) .. ref, nil)
        move(g, 'a', activitykey(old.activity) .. ref, nil)
        g.delta = g.delta - 1
      end
      if entry.owner ~= '' then
        local g = ownergroup(entry.owner)
        move(g, 's', nil, s)
        move(g, 'a', nil, a)
        g.delta = g.delta + 1
        call('SADD', KEYS[2], entry.owner)
      end
    end
    if broken then
      -- Out of step with itself, and partly written (a script's writes stay): no process may serve
      -- it from now on. The caller invalidates it too, and a rebuild starts it afresh.
      call('DEL', KEYS[5])
      call('INCR', KEYS[6])
      return redis.error_reply('RANKING_STATE a lead is not where its doc says')
    end
    current[ref] = entry
    call('HSET', KEYS[1], ref, doc)
    applied = applied + 1
  end
end
for _, g in ipairs(groups) do flush(g) end
return {applied}
`;

/**
 * Drops every key of the tenant's index (before a rebuild) and, given a rebuild's token, sets
 * `building` (APPLY holds live entries back from then on) and `rebuilder` to it. KEYS: see
 * `clearKeys`, with the owners the caller read from the `owners` set; an owner added since (not
 * declared) makes it write nothing and answer {-1, owners...}, and the caller calls again. ARGV:
 * the layout's base (`RankingKeys.layout`), the rebuild's token (optional).
 */
export const CLEAR_SCRIPT = `
local base = ARGV[1]
local declared = {}
for i = 1, #KEYS do declared[KEYS[i]] = true end
local missing = {-1}
for _, owner in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if not declared[base .. ':owner:' .. owner .. ':dir'] then missing[#missing + 1] = owner end
end
if #missing > 1 then return missing end
-- UNLINK: a large tenant's keys are freed in the background (DEL of 300,000 leads' docs and
-- buckets held Redis 218 ms in bench:scale).
-- In slices: Lua's unpack stops at ~8,000 values (six keys an owner, with the earlier layouts').
for i = 1, #KEYS, 1000 do
  redis.call('UNLINK', unpack(KEYS, i, math.min(#KEYS, i + 999)))
end
if ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('SET', KEYS[2], ARGV[2])
end
return {1}
`;

/**
 * A rebuild's stored texts (RankingRebuild), written only while `building` holds its token (a
 * rebuild begun after it owns the keys). KEYS: building, docs. ARGV: the token, then per lead its
 * ref's 12 bytes and its text. Answers 1, or 0 when the token is not there.
 */
export const REBUILD_DOCS_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], unpack(ARGV, 2))
return 1
`;

/**
 * Buckets of one group laid out by a rebuild (ranking-bulk-build.ts), with the group's count and
 * last bucket id, only while `building` holds the rebuild's token. KEYS: building, owners, the
 * group's dir and order. ARGV: the token, the owner ('' for the tenant's group), the count, the
 * last id, then per bucket its dir member, its field and its records. Answers 1, or 0 when the
 * token is not there.
 */
export const REBUILD_GROUP_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local members, fields = {}, {}
for i = 5, #ARGV, 3 do
  members[#members + 1] = 0
  members[#members + 1] = ARGV[i]
  fields[#fields + 1] = ARGV[i + 1]
  fields[#fields + 1] = ARGV[i + 2]
end
if #members > 0 then
  redis.call('ZADD', KEYS[3], unpack(members))
  redis.call('HSET', KEYS[4], unpack(fields))
end
redis.call('HSET', KEYS[4], '#n', ARGV[3], '#seq', ARGV[4])
if ARGV[2] ~= '' then redis.call('SADD', KEYS[2], ARGV[2]) end
return 1
`;

/**
 * The end of a rebuild's layout: if `building` still holds its token, lets APPLY write the
 * orderings again and hands the entries held back meanwhile to the rebuild (`pending` becomes
 * `draining`, which it applies). KEYS: building, pending, draining. ARGV: the token. Answers 1, or 0
 * when the token is not there.
 */
export const REBUILD_RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[3]) end
return 1
`;

/**
 * The end of a rebuild, once it has applied `draining`: if `rebuilder` still holds its token (no
 * rebuild began since) drops `draining` and `rebuilder`, and marks the index complete if nothing
 * invalidated it since the rebuild began (`generation` as it was then). KEYS: rebuilder, draining,
 * generation, ready. ARGV: the token, the generation. Answers 1 (ready), 0 (invalidated meanwhile)
 * or -1 (another rebuild owns the keys).
 */
export const REBUILD_COMPLETE_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('DEL', KEYS[1], KEYS[2])
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[4], ARGV[2])
return 1
`;

/**
 * One page in one round trip: nothing (nil) unless the index is complete, else the count, the
 * page's lead refs (12 bytes each) and their stored texts. KEYS: ready, the group's dir and order,
 * docs. ARGV: kind ('s' by score, 'a' by last activity), 'rank' (by position) or 'score' (up to a
 * maximum negated score), offset, limit, maximum, 'fwd' (the ordering: highest first) or 'rev' (its
 * exact reverse: lowest first, ties by lead ref descending).
 */
export const PAGE_SCRIPT = `${BUCKETS_LUA}
if not call('GET', KEYS[1]) then return false end
local g = group(KEYS[2], KEYS[3])
local kind = ARGV[1]
local n = tonumber(call('HGET', g.order, '#n') or '0')
local total = n
if ARGV[2] == 'score' then total = countupto(g, kind, sortkey(tonumber(ARGV[5])), n) end
local offset, limit = tonumber(ARGV[3]), tonumber(ARGV[4])
local from, to
if ARGV[6] == 'rev' then
  to = total - offset
  from = math.max(0, to - limit)
else
  from = offset
  to = math.min(total, offset + limit)
end
local records = collect(g, kind, from, to, n)
local refs = {}
if ARGV[6] == 'rev' then
  for k = #records, 1, -1 do refs[#refs + 1] = sub(records[k], 9) end
else
  for k = 1, #records do refs[k] = sub(records[k], 9) end
end
local docs = {}
if #refs > 0 then docs = call('HMGET', KEYS[4], unpack(refs)) end
return {total, refs, docs}
`;

/**
 * Which of some leads the tenant's index holds (RankingMembership): a '1' or '0' per ref, in
 * order, whether the index is ready or not. KEYS: docs. ARGV: the lead refs' 12 bytes, end to end
 * in one string (one argument for the client to encode, not one per lead).
 */
export const HELD_SCRIPT = `
local refs, all = {}, ARGV[1]
for i = 1, #all, 12 do refs[#refs + 1] = string.sub(all, i, i + 11) end
local held = redis.call('HMGET', KEYS[1], unpack(refs))
local flags = {}
for i = 1, #held do flags[i] = held[i] and '1' or '0' end
return table.concat(flags)
`;
