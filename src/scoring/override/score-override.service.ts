import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { TenantRepository } from '@/common/tenancy/tenant-repository';

import { LeadScoringService, toSnapshot } from '../lead-scoring.service';
import { LeadScore } from '../schemas/lead-score.schema';
import { ScoreChangeReason } from '../schemas/score-history.schema';
import { ScoringException } from '../scoring.exception';
import { DueExpiry, ScoreOverrideExpiries } from './score-override-expiries';
import {
  dueExpiryAction,
  isOverrideActive,
  OverrideAction,
  OverrideInput,
  overrideInputProblems,
} from './score-override.util';

/** Overridden scores whose expiry one sweep writes at most (the next sweep takes the rest). */
const SWEEP_BATCH = 500;
/** What the sweep reads of a due score: all but what its rescoring recomputes. */
const SWEEP_READ = { breakdown: 0, searchText: 0 } as const;

/**
 * Manual overrides: set and cleared by managers, expired by the sweep and on read. Every change is
 * a score write (LeadScoringService), so the ranking index, the history, the `leadScoreChanged`
 * event and the audit log follow it as they follow any rescoring; the model is scored again at the
 * same moment, beneath the override.
 */
@Injectable()
export class ScoreOverrideService extends TenantRepository<LeadScore> {
  private readonly logger = new Logger(ScoreOverrideService.name);

  constructor(
    @InjectModel(LeadScore.name) model: Model<LeadScore>,
    private readonly scoring: LeadScoringService,
    private readonly expiries: ScoreOverrideExpiries,
  ) {
    super(model);
  }

  /** `leadId` is the caller's own id for the lead (as REST, feedback and insights name it). */
  async set(
    caller: { tenantId: string; userId: string },
    leadId: string,
    input: OverrideInput,
  ): Promise<LeadScore> {
    const now = new Date();
    const problems = overrideInputProblems(input, now);
    if (problems.length > 0)
      throw new AppException(
        ErrorCode.BAD_USER_INPUT,
        problems.map((p) => `${p.path} ${p.message}`).join('; '),
        { fields: problems.map((p) => ({ path: p.path, messages: [p.message] })) },
      );
    return this.change(caller, leadId, now, {
      kind: 'SET',
      override: {
        score: input.score,
        reason: input.reason.trim(),
        setBy: caller.userId,
        setAt: now,
        expiresAt: input.expiresAt ?? null,
      },
    });
  }

  /** Clears the lead's override; a lead without one is answered as it is (nothing recorded). */
  clear(caller: { tenantId: string; userId: string }, leadId: string): Promise<LeadScore> {
    return this.change(caller, leadId, new Date(), { kind: 'CLEAR' });
  }

  private async change(
    caller: { tenantId: string; userId: string },
    leadId: string,
    now: Date,
    action: OverrideAction,
  ): Promise<LeadScore> {
    const ref = derivedObjectId('lead', caller.tenantId, leadId).toHexString();
    const found = await this.findById(caller.tenantId, ref);
    if (!found) throw ScoringException.leadNotFound();
    if (action.kind === 'CLEAR' && !found.override) return found;
    // Before the override: should its write fail, the sweep meets an entry it drops, or moves to
    // the expiry of the override the score still holds.
    if (action.kind === 'SET' && action.override.expiresAt)
      await this.expiries.record(caller.tenantId, found._id, action.override.expiresAt);
    await this.scoring.scoreSnapshots(
      caller.tenantId,
      [toSnapshot(found)],
      action.kind === 'SET' ? ScoreChangeReason.OVERRIDE_SET : ScoreChangeReason.OVERRIDE_CLEARED,
      { now, override: action, actorId: caller.userId },
    );
    return (await this.findById(caller.tenantId, ref)) ?? found;
  }

  /**
   * Writes the expiry of the overrides among these scores that have lapsed (a read found them);
   * answers how many. Never throws: the view hides a lapsed override anyway, and the sweep retries.
   */
  async expireLapsed(
    tenantId: string,
    docs: readonly LeadScore[],
    now = new Date(),
  ): Promise<number> {
    const lapsed = docs.filter((doc) => doc.override && !isOverrideActive(doc.override, now));
    if (lapsed.length === 0) return 0;
    try {
      await this.scoring.scoreSnapshots(
        tenantId,
        lapsed.map(toSnapshot),
        ScoreChangeReason.OVERRIDE_EXPIRED,
        { now },
      );
      return lapsed.length;
    } catch (error) {
      this.logger.warn({ msg: 'override expiry not written', tenantId, error: String(error) });
      return 0;
    }
  }

  /**
   * One sweep over every tenant: the timed overrides whose expiry has passed, as recorded beside
   * them (ScoreOverrideExpiries), their scores read by id. An entry goes once a sweep reads its
   * score without a lapsed override (so not in the sweep that writes the expiry: should that write
   * not land — a lost race, a failure — the next sweep meets the override again); an entry whose
   * score's override is active with an expiry (set again, or a set that failed after recording)
   * moves to that expiry.
   */
  async expireDue(now = new Date()): Promise<number> {
    await this.expiries.backfillWhenDue(now);
    const due = await this.expiries.due(now, SWEEP_BATCH);
    if (due.length === 0) return 0;
    const scores = (await this.model.collection
      .find({ _id: { $in: due.map((entry) => entry._id) } }, { projection: SWEEP_READ })
      .toArray()) as unknown as LeadScore[];
    const byId = new Map(scores.map((doc) => [doc._id.toHexString(), doc]));
    const settled: DueExpiry[] = [];
    const moved: { entry: DueExpiry; expiresAt: Date }[] = [];
    const byTenant = new Map<string, LeadScore[]>();
    for (const entry of due) {
      const doc = byId.get(entry._id.toHexString());
      const action = dueExpiryAction(
        entry.tenantId.toHexString(),
        doc && { tenantId: doc.tenantId.toHexString(), override: doc.override },
        now,
      );
      if (action.kind === 'DROP') settled.push(entry);
      else if (action.kind === 'MOVE') moved.push({ entry, expiresAt: action.expiresAt });
      else {
        const tenantId = doc!.tenantId.toHexString();
        byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), doc!]);
      }
    }
    await this.expiries.settle(settled, moved);
    let expired = 0;
    for (const [tenantId, docs] of byTenant)
      expired += await this.expireLapsed(tenantId, docs, now);
    return expired;
  }
}
