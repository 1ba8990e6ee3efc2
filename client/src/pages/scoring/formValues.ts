/** The editor's form: values as typed (strings), the fields' names, and converting to/from the API. */

export const FEATURES = ['emailOpens', 'websiteVisits', 'timeSpent'] as const;
export type Feature = (typeof FEATURES)[number];

export const FEATURE_LABELS: Record<Feature, string> = {
  emailOpens: 'Email opens',
  websiteVisits: 'Website visits',
  timeSpent: 'Time spent',
};

export interface ConfigFormValues {
  weights: Record<Feature, string>;
  caps: Record<Feature, string>;
  halfLifeDays: string;
  hot: string;
  warm: string;
}

/** A field of the form, or a group (`weights`, `caps`, `thresholds`) for rules across fields. */
export type FieldKey =
  | `weights.${Feature}`
  | `caps.${Feature}`
  | 'weights'
  | 'caps'
  | 'halfLifeDays'
  | 'thresholds.hot'
  | 'thresholds.warm'
  | 'thresholds';

export type ConfigErrors = Partial<Record<FieldKey, string>>;

/** What the API takes (UpdateScoringConfigInput with every part given). */
export interface ScoringConfigInput {
  weights: Record<Feature, number>;
  caps: Record<Feature, number>;
  halfLifeDays: number;
  thresholds: { hot: number; warm: number };
}

/** The config as the API answers it (ScoringConfig). */
export interface ScoringConfigValues {
  weights: Record<Feature, number>;
  caps: Record<Feature, number>;
  halfLifeDays: number;
  thresholds: { hot: number; warm: number };
}

const text = (n: number) => String(n);

export function toFormValues(config: ScoringConfigValues): ConfigFormValues {
  return {
    weights: {
      emailOpens: text(config.weights.emailOpens),
      websiteVisits: text(config.weights.websiteVisits),
      timeSpent: text(config.weights.timeSpent),
    },
    caps: {
      emailOpens: text(config.caps.emailOpens),
      websiteVisits: text(config.caps.websiteVisits),
      timeSpent: text(config.caps.timeSpent),
    },
    halfLifeDays: text(config.halfLifeDays),
    hot: text(config.thresholds.hot),
    warm: text(config.thresholds.warm),
  };
}

/** The value of one field. */
export function getValue(values: ConfigFormValues, key: FieldKey): string {
  switch (key) {
    case 'halfLifeDays':
      return values.halfLifeDays;
    case 'thresholds.hot':
      return values.hot;
    case 'thresholds.warm':
      return values.warm;
    case 'weights':
    case 'caps':
    case 'thresholds':
      return '';
    default: {
      const [group, feature] = key.split('.') as ['weights' | 'caps', Feature];
      return values[group][feature];
    }
  }
}

/** A copy with one field changed. */
export function setValue(values: ConfigFormValues, key: FieldKey, value: string): ConfigFormValues {
  switch (key) {
    case 'halfLifeDays':
      return { ...values, halfLifeDays: value };
    case 'thresholds.hot':
      return { ...values, hot: value };
    case 'thresholds.warm':
      return { ...values, warm: value };
    case 'weights':
    case 'caps':
    case 'thresholds':
      return values;
    default: {
      const [group, feature] = key.split('.') as ['weights' | 'caps', Feature];
      return { ...values, [group]: { ...values[group], [feature]: value } };
    }
  }
}

/** The group a field belongs to (its cross-field rule). */
export function groupOf(key: FieldKey): FieldKey | null {
  if (key.startsWith('weights.')) return 'weights';
  if (key.startsWith('caps.')) return 'caps';
  if (key.startsWith('thresholds.')) return 'thresholds';
  return null;
}

/** Whether the form holds what was loaded (compared as numbers: "0.40" is 0.4). */
export function sameValues(a: ConfigFormValues, b: ConfigFormValues): boolean {
  const keys: FieldKey[] = [
    ...FEATURES.map((f) => `weights.${f}` as const),
    ...FEATURES.map((f) => `caps.${f}` as const),
    'halfLifeDays',
    'thresholds.hot',
    'thresholds.warm',
  ];
  return keys.every((key) => {
    const x = getValue(a, key).trim();
    const y = getValue(b, key).trim();
    return x === y || (x !== '' && y !== '' && Number(x) === Number(y));
  });
}
