import { hostname } from 'node:os';

import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import { TenantRepository } from '@/common/tenancy/tenant-repository';
import type { FieldProblem } from '@/common/validation/app-validation.pipe';
import { LeadScoringService } from '@/scoring/lead-scoring.service';
import { ScoringMetrics } from '@/scoring/scoring-metrics';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { InteractionInput } from './dto/lead.inputs';
import { EngagementEvent, EngagementPlan, planEngagementUpdate } from './engagement-delta.util';
import {
  interactionIdFor,
  InteractionsRepository,
  NewInteraction,
} from './interactions.repository';
import { leadRefFor, toSnapshot } from './lead-snapshot.util';
import { LeadsException } from './leads.exception';
import { Interaction, InteractionType } from './schemas/interaction.schema';
import { Lead } from './schemas/lead.schema';

const MAX_FUTURE_MS = 24 * 3_600_000;
/** Rounds of read, plan and conditional write before a busy lead's events are left to a retry. */
const MAX_APPLY_ATTEMPTS = 5;
/** Who claims events in this process (claims say which process added an event, for support). */
const CLAIMANT = `${hostname()}:${process.pid}`;

function listed(lead: Pick<Lead, 'appliedEvents'>, id: string): boolean {
  return lead.appliedEvents.some((applied) => applied.toHexString() === id);
}

/** What engagement writes read of a lead: everything but the attributes (scored from the copy). */
const ENGAGEMENT_READ = { attributes: 0 } as const;

/** Interactions into the log and their deltas into leads, each exactly once, then rescoring. */
@Injectable()
export class LeadEngagementService extends TenantRepository<Lead> {
  private readonly logger = new Logger(LeadEngagementService.name);
  constructor(
    @InjectModel(Lead.name) model: Model<Lead>,
    private readonly interactions: InteractionsRepository,
    private readonly scoring: LeadScoringService,
    private readonly metrics: ScoringMetrics,
  ) {
    super(model);
  }

  /**
   * Stores new events, adds each one's delta to its lead exactly once and rescores the leads.
   * With `ownerId` (a rep's calls), only leads of that owner are reachable.
   * A retried or concurrent delivery of a key is refused by the log's unique `_id`, so it never
   * counts twice; out-of-order events only move `lastActivityAt` forward ($max).
   */
  async recordInteractions(
    tenantId: string,
    inputs: InteractionInput[],
    { ownerId }: { ownerId?: string } = {},
  ): Promise<{ accepted: number; duplicates: number; leadsRescored: number }> {
    const refByLeadId = new Map(
      inputs.map((input) => [input.leadId, leadRefFor(tenantId, input.leadId)]),
    );
    // Writes follow the visibility of reads: a rep reaches their own leads only, and a lead that
    // exists but is someone else's answers exactly like one that does not exist. Read whole (but
    // for the attributes): the same documents are the first round of `applyEvents`.
    const reachable = (
      await this.findByIds(tenantId, [...refByLeadId.values()], ENGAGEMENT_READ)
    ).filter((lead) => ownerId === undefined || String(lead.ownerId) === ownerId);
    const known = new Set(reachable.map((lead) => lead._id.toHexString()));
    const problems: FieldProblem[] = [];
    const latestAllowed = Date.now() + MAX_FUTURE_MS;
    inputs.forEach((input, i) => {
      if (!known.has(refByLeadId.get(input.leadId)!.toHexString()))
        problems.push({
          path: `interactions.${i}.leadId`,
          messages: [`no lead ${input.leadId} that you can reach`],
        });
      if (input.occurredAt.getTime() > latestAllowed)
        problems.push({
          path: `interactions.${i}.occurredAt`,
          messages: ['more than 24 hours in the future'],
        });
    });
    if (problems.length > 0) throw LeadsException.invalidItems(problems);

    const unique = new Map<string, InteractionInput>();
    for (const input of inputs) {
      if (!unique.has(input.idempotencyKey)) unique.set(input.idempotencyKey, input);
    }
    const events: NewInteraction[] = [...unique.values()].map((input) => ({
      _id: interactionIdFor(tenantId, input.idempotencyKey),
      leadRef: refByLeadId.get(input.leadId)!,
      type: input.type,
      occurredAt: input.occurredAt,
      idempotencyKey: input.idempotencyKey,
      emailOpen: input.type === InteractionType.EMAIL_OPEN ? 1 : 0,
      visit: input.type === InteractionType.WEBSITE_VISIT ? 1 : 0,
      secondsSpent: input.type === InteractionType.EMAIL_OPEN ? 0 : (input.secondsSpent ?? 0),
      metadata: input.metadata ?? {},
    }));
    const stored = await this.interactions.insertNew(tenantId, events);
    // A key stored before counts as a duplicate only once its delta is in its lead: a first
    // delivery that died (or failed) between storing and applying is finished here, exactly once.
    const storedIds = new Set(stored.map((event) => event._id.toHexString()));
    const repeated = events.filter((event) => !storedIds.has(event._id.toHexString()));
    const unfinished = await this.interactions.unapplied(repeated.map((event) => event._id));
    const toFinish =
      unfinished.size > 0
        ? await this.interactions.findEvents(
            tenantId,
            repeated.filter((event) => unfinished.has(event._id.toHexString())).map((e) => e._id),
          )
        : [];
    const { leadsRescored } = await this.applyEvents(
      tenantId,
      [...stored, ...toFinish],
      ScoreChangeReason.INTERACTION,
      reachable,
    );
    this.metrics.interactions.inc({ outcome: 'stored' }, stored.length);
    this.metrics.interactions.inc({ outcome: 'duplicate' }, inputs.length - stored.length);
    return {
      accepted: stored.length,
      duplicates: inputs.length - stored.length,
      leadsRescored,
    };
  }

  /**
   * Adds each event's delta to its lead exactly once, rescores those leads and records receipts.
   * Safe to call again with events that are applied already, concurrently too (ingestion, a
   * client's retry and the sweeper may meet the same event): each lead is written conditionally
   * on the version read, and a lead lists the events it holds (see `planEngagementUpdate`).
   */
  async applyEvents(
    tenantId: string,
    events: readonly EngagementEvent[] & readonly Pick<Interaction, 'leadRef'>[],
    reason: ScoreChangeReason,
    /** The leads as the caller just read them (ENGAGEMENT_READ): the first round reads no more. */
    readBefore?: readonly Lead[],
  ): Promise<{ applied: number; leadsRescored: number }> {
    if (events.length === 0) return { applied: 0, leadsRescored: 0 };
    let pending = new Map<string, (EngagementEvent & Pick<Interaction, 'leadRef'>)[]>();
    for (const event of events) {
      const key = event.leadRef.toHexString();
      pending.set(key, [...(pending.get(key) ?? []), event]);
    }
    const changed: Lead[] = [];
    let applied = 0;
    const attempted = new Map<string, { version: number; ids: string[] }>();
    for (let attempt = 1; pending.size > 0; attempt++) {
      if (attempt > MAX_APPLY_ATTEMPTS) throw LeadsException.notApplied(pending.size);
      const leads =
        attempt === 1 && readBefore
          ? readBefore.filter((lead) => pending.has(lead._id.toHexString()))
          : await this.findByIds(
              tenantId,
              [...pending.values()].map((group) => group[0].leadRef),
              ENGAGEMENT_READ,
            );
      const now = new Date();
      const planned: { lead: Lead; plan: EngagementPlan }[] = [];
      for (const lead of leads) {
        const key = lead._id.toHexString();
        const ours = attempted.get(key);
        // Our write of the last round took if the lead moved exactly one version with our events.
        if (ours && lead.version === ours.version && ours.ids.every((id) => listed(lead, id)))
          applied += ours.ids.length;
        const plan = planEngagementUpdate(lead, pending.get(key)!, now);
        // Every event of this call already in the lead (a retry, or a lost race): scored as it is.
        if (plan) planned.push({ lead, plan });
        else changed.push(lead);
      }
      attempted.clear();
      if (planned.length === 0) break;
      const matched = await this.bulkWriteCounted(
        tenantId,
        planned.map(({ lead, plan }) => ({
          updateOne: {
            filter: { _id: lead._id, version: lead.version },
            update: plan.update,
          },
        })),
      );
      if (matched === planned.length) {
        for (const { lead, plan } of planned) {
          changed.push({ ...lead, ...plan.next, appliedEvents: [...plan.next.appliedEvents] });
          applied += plan.fresh.length;
        }
        break;
      }
      // Another writer moved some of these leads (or a write failed): read them again and apply
      // what they do not hold yet. Rare; the writes that took are found applied on the re-read.
      const next = new Map<string, (EngagementEvent & Pick<Interaction, 'leadRef'>)[]>();
      for (const { lead, plan } of planned) {
        const key = lead._id.toHexString();
        next.set(key, pending.get(key)!);
        attempted.set(key, {
          version: plan.next.version,
          ids: plan.fresh.map((event) => event._id.toHexString()),
        });
      }
      pending = next;
    }
    if (changed.length > 0)
      await this.scoring.scoreSnapshots(tenantId, changed.map(toSnapshot), reason);
    // Receipts last: an event whose lead was updated but not yet rescored (the process died, the
    // engine went away) has none, so a retry or the sweep applies it again (a no-op) and rescores.
    await this.interactions.markApplied(
      tenantId,
      events.map((event) => event._id),
      CLAIMANT,
    );
    return { applied, leadsRescored: changed.length };
  }

  /** An unordered bulk write answering how many filters matched; a failed operation just did not. */
  private async bulkWriteCounted(
    tenantId: string,
    operations: Parameters<LeadEngagementService['bulkWriteStored']>[1],
  ): Promise<number> {
    try {
      return (await this.bulkWriteStored(tenantId, operations)).matchedCount;
    } catch (error) {
      const result = (error as { result?: { matchedCount?: number } }).result;
      if (typeof result?.matchedCount !== 'number') throw error;
      this.logger.warn({
        msg: 'some engagement writes failed; retrying them',
        error: String(error),
      });
      return result.matchedCount;
    }
  }
}
