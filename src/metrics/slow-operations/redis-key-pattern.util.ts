/**
 * A Redis key as a pattern for logs: the words that name what the key holds are kept, every other
 * part (ids, addresses, emails, numbers) becomes `<id>`:
 *
 *   ls:rl:login:ann@example.com|10.0.0.7   → ls:rl:login:<id>|<id>
 *   {ls:rl:user:65f0c1…:user}:hits         → {ls:rl:user:<id>:user}:hits
 *
 * Kept: `keep` (the deployment's key prefix, which may hold digits) and parts of letters, `_` and
 * `-` only, except short all-hex ones (`cafe`, `be`: groups of an IPv6 address). Safe by default:
 * a key holding a readable word of user data loses it, never the other way round.
 */
export function redisKeyPattern(
  key: unknown,
  { keep = [] }: { keep?: readonly string[] } = {},
): string | undefined {
  const text = keyText(key);
  if (text === undefined) return undefined;
  const pattern = text
    .slice(0, MAX_KEY_LENGTH)
    .split(SEPARATOR)
    .map((part, index) =>
      // split() with a capture group puts the separators at odd indexes.
      index % 2 === 1 || part === '' || keep.includes(part) || isWord(part) ? part : '<id>',
    )
    .join('');
  return text.length > MAX_KEY_LENGTH ? `${pattern}…` : pattern;
}

const MAX_KEY_LENGTH = 200;
const SEPARATOR = /([:|{}/,\s])/;
const WORD = /^[A-Za-z_-]{1,40}$/;
const SHORT_HEX = /^[0-9A-Fa-f]{1,4}$/;

function isWord(part: string): boolean {
  return WORD.test(part) && !SHORT_HEX.test(part);
}

function keyText(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (Buffer.isBuffer(key)) return key.subarray(0, MAX_KEY_LENGTH * 4).toString('utf8');
  if (typeof key === 'number') return String(key);
  return undefined;
}
