/** The guard's Lua scripts: each decision or record is one atomic script (per subject on a Cluster). */

/** One subject's adds, counts and tests, from ARGV[i] on; appends to `out`. */
const SUBJECT = `
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  local k = KEYS[tonumber(ARGV[i])]
  local retain = tonumber(ARGV[i + 2])
  redis.call('ZADD', k, now, ARGV[i + 1])
  redis.call('ZREMRANGEBYSCORE', k, '-inf', '(' .. (now - retain))
  local size = redis.call('ZCARD', k)
  if size > cap then redis.call('ZREMRANGEBYRANK', k, 0, size - cap - 1) end
  redis.call('PEXPIRE', k, retain)
  i = i + 3
end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  out[#out + 1] = redis.call('ZCOUNT', KEYS[tonumber(ARGV[i])], ARGV[i + 1], '+inf')
  i = i + 2
end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  local s = redis.call('ZSCORE', KEYS[tonumber(ARGV[i])], ARGV[i + 1])
  if s and tonumber(s) >= tonumber(ARGV[i + 2]) then out[#out + 1] = 1 else out[#out + 1] = 0 end
  i = i + 3
end
`;

/**
 * KEYS: the subject's sets. ARGV: now, cap, then adds (n, [keyIndex, member, retainMs]...),
 * counts (n, [keyIndex, sinceMs]...), tests (n, [keyIndex, member, sinceMs]...).
 * Returns the counts then the tests (1/0).
 */
export const OBSERVE = `
local now = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local i = 3
local out = {}
${SUBJECT}
return out
`;

/**
 * Every subject of a decision in one call (standalone Redis and Sentinel, where all keys live on
 * one server): one command instead of one per subject. KEYS: all subjects' sets. ARGV: now, cap,
 * the number of subjects, then each subject's part laid out as in OBSERVE (key indexes into the
 * shared KEYS). Returns each subject's counts then tests, subject after subject.
 */
export const OBSERVE_MANY = `
local now = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local subjects = tonumber(ARGV[3])
local i = 4
local out = {}
for _ = 1, subjects do
${SUBJECT}
end
return out
`;

/**
 * KEYS: list data hash, expiry zset, offence key of this target.
 * ARGV: id, entry JSON, now, ttlSeconds, escalate (1/0), factor, maxTtlSeconds, rememberSeconds, channel.
 * Stores the entry with its escalated TTL, publishes it, returns its JSON.
 */
export const PUT_ENTRY = `
local id = ARGV[1]
local now = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local offences = 1
if ARGV[5] == '1' then
  local past = redis.call('GET', KEYS[3])
  if past then offences = tonumber(past) + 1 end
  ttl = math.min(tonumber(ARGV[7]), math.floor(tonumber(ARGV[4]) * tonumber(ARGV[6]) ^ (offences - 1) + 0.5))
  redis.call('SET', KEYS[3], offences, 'PX', ttl * 1000 + tonumber(ARGV[8]) * 1000)
end
local entry = cjson.decode(ARGV[2])
entry.createdAt = now
entry.offences = offences
local expiry = 253402300799000
if ttl > 0 then
  entry.expiresAt = now + ttl * 1000
  expiry = entry.expiresAt
else
  entry.expiresAt = cjson.null
end
local json = cjson.encode(entry)
redis.call('HSET', KEYS[1], id, json)
redis.call('ZADD', KEYS[2], expiry, id)
redis.call('PUBLISH', ARGV[9], '{"op":"put","entry":' .. json .. '}')
return json
`;

/** KEYS: data, expiry. ARGV: channel, ids... Returns the JSON of the entries removed. */
export const REMOVE_ENTRIES = `
local removed = {}
local ids = {}
for i = 2, #ARGV do
  local json = redis.call('HGET', KEYS[1], ARGV[i])
  if json then
    removed[#removed + 1] = json
    ids[#ids + 1] = ARGV[i]
    redis.call('HDEL', KEYS[1], ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
  end
end
if #ids > 0 then redis.call('PUBLISH', ARGV[1], cjson.encode({ op = 'del', ids = ids })) end
return removed
`;

/** KEYS: data, expiry. ARGV: now. Drops expired entries, returns the JSON of the live ones. */
export const LOAD_ENTRIES = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
for _, id in ipairs(expired) do redis.call('HDEL', KEYS[1], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
return redis.call('HVALS', KEYS[1])
`;
