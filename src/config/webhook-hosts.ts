import { isIP } from 'node:net';

import ipaddr from 'ipaddr.js';
import { z } from 'zod';

import { fromEnv } from './env-fields';

/** A DNS name: labels of letters, digits and '-', dot-separated (no wildcard). */
const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * One entry of WEBHOOK_ALLOWED_PRIVATE_HOSTS in its normal form (lower case, IPv6 without
 * brackets), or undefined when it is neither a hostname, an address nor a CIDR range.
 */
export function normalizeAllowedHost(entry: string): string | undefined {
  const value = entry
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (value === '') return undefined;
  if (isIP(value) !== 0) return value;
  if (value.includes('/')) return ipaddr.isValidCIDR(value) ? value : undefined;
  return HOSTNAME.test(value) ? value : undefined;
}

/**
 * WEBHOOK_ALLOWED_PRIVATE_HOSTS: comma-separated hostnames (`receiver.internal`), addresses
 * (`127.0.0.1`, `::1`) and CIDR ranges (`10.20.0.0/16`) that outbound webhooks may reach although
 * they are private. Empty by default: only public addresses are reached.
 */
export function webhookAllowedHosts() {
  return fromEnv(
    z
      .string()
      .optional()
      .transform((value, ctx): readonly string[] => {
        if (value === undefined) return [];
        const entries: string[] = [];
        value.split(',').forEach((entry, i) => {
          const normal = normalizeAllowedHost(entry);
          if (normal === undefined)
            ctx.issues.push({
              code: 'custom',
              input: value,
              message: `entry ${i + 1} ("${entry.trim()}") must be a hostname, an IP address or a CIDR range`,
            });
          else if (!entries.includes(normal)) entries.push(normal);
        });
        return entries;
      }),
  );
}
