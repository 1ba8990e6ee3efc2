/**
 * Strings ordered by UTF-16 code unit, the order of a plain `<`: unlike `localeCompare` it does not
 * depend on the host's locale or ICU data, so sorted output (and the hashes taken over it) is the
 * same on every machine.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
