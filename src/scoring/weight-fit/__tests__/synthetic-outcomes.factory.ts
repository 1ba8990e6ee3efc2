/** Test data for the weight fit: single outcomes by hand, and outcomes from a planted model. */
import { seededRandom } from '@/ml/common/random.util';

import type { OutcomeExample, OutcomeInteraction } from '../outcome-engagement.util';

export const DAY = 86_400_000;
export const START = new Date('2026-01-01T00:00:00Z');

export function daysAfter(base: Date, days: number): Date {
  return new Date(base.getTime() + days * DAY);
}

export function makeInteraction(overrides: Partial<OutcomeInteraction>): OutcomeInteraction {
  return { occurredAt: START, emailOpen: 0, visit: 0, secondsSpent: 0, ...overrides };
}

export function makeOutcome(overrides: Partial<OutcomeExample>): OutcomeExample {
  return { leadId: 'L-1', at: START, converted: false, interactions: [], ...overrides };
}

export interface PlantedModel {
  readonly weights: readonly [number, number, number];
  readonly halfLifeDays: number;
  /** log-odds of converting = intercept + scale · (Σ wj·componentj). */
  readonly intercept: number;
  readonly scale: number;
  readonly caps?: readonly [number, number, number];
}

/**
 * `count` outcomes, one every two hours from START, whose label follows the planted model through
 * the scorer's components (computed here independently: min(value, cap)/cap · 0.5^(days/halfLife)).
 * Each lead's engagement is spread over two interactions, the later one its last activity, and
 * each lead also gets a big interaction a day after its outcome, which the fit must ignore.
 */
export function plantedOutcomes({
  count,
  seed,
  model,
}: {
  count: number;
  seed: number;
  model: PlantedModel;
}): OutcomeExample[] {
  const random = seededRandom(seed);
  const caps = model.caps ?? [10, 20, 600];
  const outcomes: OutcomeExample[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(START.getTime() + i * 2 * 3_600_000);
    const opens = Math.floor(random() * 13);
    const visits = Math.floor(random() * 25);
    const seconds = Math.floor(random() * 720);
    const idleDays = random() * 40;
    const last = daysAfter(at, -idleDays);
    const decay = 0.5 ** (idleDays / model.halfLifeDays);
    const components = [opens, visits, seconds].map(
      (v, j) => (Math.min(v, caps[j]) / caps[j]) * decay,
    );
    const score = components.reduce((sum, x, j) => sum + model.weights[j] * x, 0);
    const p = 1 / (1 + Math.exp(-(model.intercept + model.scale * score)));
    const firstOpens = Math.floor(opens / 2);
    const firstVisits = Math.floor(visits / 2);
    outcomes.push({
      leadId: `L-${i}`,
      at,
      converted: random() < p,
      interactions: [
        makeInteraction({
          occurredAt: daysAfter(at, 1),
          emailOpen: 30,
          visit: 50,
          secondsSpent: 5000,
        }),
        makeInteraction({
          occurredAt: last,
          emailOpen: opens - firstOpens,
          visit: visits - firstVisits,
          secondsSpent: seconds / 2,
        }),
        makeInteraction({
          occurredAt: daysAfter(last, -3),
          emailOpen: firstOpens,
          visit: firstVisits,
          secondsSpent: seconds / 2,
        }),
      ],
    });
  }
  return outcomes;
}
