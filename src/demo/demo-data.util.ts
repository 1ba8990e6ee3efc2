import { seededRandom } from '@/ml/common/random.util';

/** Deterministic demo leads and interactions (same data on every machine). Pure. */

export const DEMO_PASSWORD = 'demo-password-123';
export const DEMO_USERS = [
  { email: 'admin@demo.test', name: 'Ada Admin', role: 'ADMIN' },
  { email: 'manager@demo.test', name: 'Max Manager', role: 'MANAGER' },
  { email: 'rep1@demo.test', name: 'Rita Rep', role: 'REP' },
  { email: 'rep2@demo.test', name: 'Ravi Rep', role: 'REP' },
  { email: 'rep3@demo.test', name: 'Rosa Rep', role: 'REP' },
] as const;
export const LEADS_PER_REP = 100;

const DAY = 86_400_000;
const COMPANIES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
  'Soylent',
];
const FIRST = [
  'Alex',
  'Sam',
  'Jo',
  'Kim',
  'Lee',
  'Pat',
  'Robin',
  'Chris',
  'Dana',
  'Eli',
  'Noa',
  'Ira',
];
const LAST = [
  'Smith',
  'Garcia',
  'Chen',
  'Okafor',
  'Novak',
  'Rossi',
  'Müller',
  'Tanaka',
  'Silva',
  'Kowalski',
];
const INDUSTRIES = ['retail', 'banking', 'software', 'manufacturing', 'healthcare'];

export interface DemoLead {
  leadId: string;
  name: string;
  email: string;
  status: string;
  attributes: Record<string, unknown>;
  repIndex: number;
}

export interface DemoInteraction {
  leadId: string;
  type: 'EMAIL_OPEN' | 'WEBSITE_VISIT' | 'ACTIVITY';
  occurredAt: Date;
  secondsSpent?: number;
  idempotencyKey: string;
}

type Pattern = 'hot' | 'warm' | 'cold' | 'gone-quiet' | 'new';
const PATTERNS: Pattern[] = ['hot', 'warm', 'warm', 'cold', 'cold', 'gone-quiet', 'new'];

export function buildDemoData(
  now: Date,
  reps = 3,
): { leads: DemoLead[]; interactions: DemoInteraction[] } {
  const random = seededRandom(20261122);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const leads: DemoLead[] = [];
  const interactions: DemoInteraction[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < LEADS_PER_REP; i++) {
      const leadId = `DEMO-${rep + 1}-${String(i + 1).padStart(3, '0')}`;
      const first = pick(FIRST);
      const last = pick(LAST);
      const company = pick(COMPANIES);
      const pattern = pick(PATTERNS);
      leads.push({
        leadId,
        name: `${first} ${last}`,
        email: `${first}.${last}@${company}.example`.toLowerCase().replace('ü', 'u'),
        status: pattern === 'hot' ? 'QUALIFIED' : pattern === 'new' ? 'NEW' : 'WORKING',
        attributes: {
          company,
          industry: pick(INDUSTRIES),
          employees: Math.round(10 + random() * 5000),
        },
        repIndex: rep,
      });
      const [count, maxAgeDays, minAgeDays] =
        pattern === 'hot'
          ? [34, 2, 0]
          : pattern === 'warm'
            ? [16, 5, 0.5]
            : pattern === 'cold'
              ? [2, 20, 5]
              : pattern === 'gone-quiet'
                ? [12, 45, 25]
                : [0, 0, 0];
      for (let n = 0; n < count; n++) {
        const type = pick(['EMAIL_OPEN', 'WEBSITE_VISIT', 'WEBSITE_VISIT', 'ACTIVITY'] as const);
        const ageDays = minAgeDays + random() * (maxAgeDays - minAgeDays);
        interactions.push({
          leadId,
          type,
          occurredAt: new Date(now.getTime() - ageDays * DAY),
          secondsSpent: type === 'EMAIL_OPEN' ? undefined : Math.round(20 + random() * 240),
          idempotencyKey: `demo-${leadId}-${n}`,
        });
      }
    }
  }
  return { leads, interactions };
}
