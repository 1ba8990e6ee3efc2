import type { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';

import { leadScoreChangeVisible } from './lead-score-events.resolver';
import type { LeadScoreChangedEvent } from './lead-score.types';
import { ScoreChangeReason } from './schemas/score-history.schema';
import { PriorityTier } from './scorer/priority-tier.util';

function makeEvent(overrides: Partial<LeadScoreChangedEvent> = {}): LeadScoreChangedEvent {
  return {
    tenantId: 't1',
    leadRef: 'l1',
    leadId: 'L-1',
    ownerId: 'rep1',
    score: 50,
    previousScore: 40,
    tier: PriorityTier.WARM,
    reason: ScoreChangeReason.INTERACTION,
    configVersion: 1,
    at: new Date(0).toISOString(),
    ...overrides,
  };
}

function makeUser(overrides: Partial<AuthUser> = {}): AuthUser {
  return { userId: 'admin1', tenantId: 't1', role: Role.ADMIN, jti: 'j', exp: 0, ...overrides };
}

describe('leadScoreChangeVisible', () => {
  it('shows a tenant its own events only', () => {
    expect(leadScoreChangeVisible(makeEvent(), {}, makeUser())).toBe(true);
    expect(leadScoreChangeVisible(makeEvent({ tenantId: 't2' }), {}, makeUser())).toBe(false);
    expect(leadScoreChangeVisible(makeEvent(), {}, undefined)).toBe(false);
  });

  it('shows reps their own leads only, whatever they ask', () => {
    const rep = makeUser({ userId: 'rep1', role: Role.REP });
    expect(leadScoreChangeVisible(makeEvent(), {}, rep)).toBe(true);
    expect(leadScoreChangeVisible(makeEvent({ ownerId: 'rep2' }), { ownerId: 'rep2' }, rep)).toBe(
      false,
    );
    expect(leadScoreChangeVisible(makeEvent({ ownerId: null }), {}, rep)).toBe(false);
  });

  it('applies minScore and ownerId', () => {
    const manager = makeUser({ role: Role.MANAGER });
    expect(leadScoreChangeVisible(makeEvent({ score: 49.99 }), { minScore: 50 }, manager)).toBe(
      false,
    );
    expect(leadScoreChangeVisible(makeEvent({ score: 50 }), { minScore: 50 }, manager)).toBe(true);
    expect(leadScoreChangeVisible(makeEvent(), { ownerId: 'rep2' }, manager)).toBe(false);
    expect(leadScoreChangeVisible(makeEvent(), { ownerId: 'rep1', minScore: null }, manager)).toBe(
      true,
    );
  });
});
