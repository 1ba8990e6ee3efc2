import { isIP } from 'node:net';

import { z } from 'zod';

import { fromEnv } from './env-fields';

/** The names proxy-addr (Express) knows for well-known ranges. */
const PRESETS = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY, Express's 'trust proxy' setting: `true`/`false`, a hop count, or a comma-separated
 * list of addresses, subnets and presets. Validated here with the rules of proxy-addr, which
 * Express uses, so a typo fails at boot instead of at the first request behind the proxy.
 */
export function trustProxy() {
  return fromEnv(
    z
      .string()
      .transform((value, ctx): boolean | number | string => {
        const lower = value.toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
        if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
        const entries = value.split(',').map((entry) => entry.trim());
        const bad = entries.find((entry) => !isProxyEntry(entry));
        if (bad !== undefined) {
          ctx.issues.push({
            code: 'custom',
            input: value,
            message: `"${bad}" is not an IP address, a subnet (address/prefix) or one of ${PRESETS.join(', ')}; use true, false, a hop count or a comma-separated list of those`,
          });
          return z.NEVER;
        }
        return entries.join(', ');
      })
      .default('loopback'),
  );
}

function isProxyEntry(entry: string): boolean {
  if (PRESETS.includes(entry)) return true;
  const slash = entry.lastIndexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash === -1) return true;
  const range = entry.slice(slash + 1);
  const maxPrefix = family === 4 ? 32 : 128;
  // proxy-addr refuses a prefix of 0 ("trust every address" is TRUST_PROXY=true).
  if (/^\d+$/.test(range)) return Number(range) >= 1 && Number(range) <= maxPrefix;
  return family === 4 && isIP(range) === 4 && isContiguousNetmask(range);
}

/** 255.255.0.0 yes, 255.0.255.0 no: ones then zeros, and at least one one. */
function isContiguousNetmask(mask: string): boolean {
  const bits = mask
    .split('.')
    .map((octet) => Number(octet).toString(2).padStart(8, '0'))
    .join('');
  return /^1+0*$/.test(bits);
}
