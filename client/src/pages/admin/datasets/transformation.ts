/** A stored transformation in a few words, for tables: what is used and how it is prepared. */
export interface TransformationLike {
  features?: readonly string[] | null;
  exclude: readonly string[];
  numeric: {
    fill: string;
    log1p: readonly string[];
    missingIndicator: boolean;
    standardize: boolean;
  };
  categorical: { maxLevels: number; minFrequency: number };
}

export function describeTransformation(t: TransformationLike): string[] {
  const parts: string[] = [];
  parts.push(
    t.features ? `Features: ${t.features.join(', ')}` : 'Features: every non-text feature',
  );
  if (t.exclude.length > 0) parts.push(`Excluded: ${t.exclude.join(', ')}`);
  const numeric = [`missing → ${t.numeric.fill.toLowerCase()}`];
  if (t.numeric.missingIndicator) numeric.push('missing indicator');
  if (t.numeric.standardize) numeric.push('standardized');
  if (t.numeric.log1p.length > 0) numeric.push(`log1p of ${t.numeric.log1p.join(', ')}`);
  parts.push(`Numeric: ${numeric.join(', ')}`);
  parts.push(
    `Categorical: categories with ${t.categorical.minFrequency}+ rows, at most ${t.categorical.maxLevels} per feature`,
  );
  return parts;
}

/** Where a lineage node sits relative to the version asked about. */
export function depthLabel(depth: number): string {
  if (depth === 0) return 'This version';
  if (depth === -1) return 'Parent';
  if (depth === 1) return 'Child';
  return depth < 0 ? `Ancestor (${-depth} up)` : `Descendant (${depth} down)`;
}
