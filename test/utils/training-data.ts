/**
 * A conversion history whose outcome follows the attributes (with exceptions): segment A with a
 * large size converts, very large ones convert anywhere. Deterministic: every run trains the same.
 */
export const segmentOf = (i: number): string => ['A', 'B', 'C'][i % 3];
export const sizeOf = (i: number): number => (i * 37) % 100;
export const converts = (i: number): boolean =>
  (segmentOf(i) === 'A' && sizeOf(i) > 30) || sizeOf(i) > 85 || i % 29 === 0;

/** `H-0` … `H-<rows−1>`, `;`-separated, with the outcome in `y`. */
export function historyCsv(rows = 240): string {
  const lines = ['id;segment;size;region;y'];
  for (let i = 0; i < rows; i++) {
    const region = ['north', 'south'][i % 2];
    lines.push(`H-${i};${segmentOf(i)};${sizeOf(i)};${region};${converts(i) ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

export const HISTORY_MAPPING = {
  leadId: 'id',
  outcome: { column: 'y', converted: ['yes'], lost: ['no'] },
  attributes: ['*'],
};
