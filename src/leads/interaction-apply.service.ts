import { hostname } from 'node:os';

import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { LeadScoringService } from '@/scoring/lead-scoring.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { EngagementEvent, EngagementPlan, planEngagementUpdate } from './engagement-delta.util';
import { InteractionsRepository } from './interactions.repository';
import { toSnapshot } from './lead-snapshot.util';
import { LeadsException } from './leads.exception';
import { Interaction } from './schemas/interaction.schema';
import { Lead } from './schemas/lead.schema';

/** Rounds of read, plan and conditional write before a busy lead's events are left to a retry. */
const MAX_APPLY_ATTEMPTS = 5;
/** Who claims events in this process (claims say which process added an event, for support). */
const CLAIMANT = `${hostname()}:${process.pid}`;

/** What engagement writes read of a lead: everything but the attributes (scored from the copy). */
export const ENGAGEMENT_READ = { attributes: 0 } as const;

/** An event as applying it needs it: its delta and its lead. */
export type ApplicableEvent = EngagementEvent & Pick<Interaction, 'leadRef'>;

function listed(lead: Pick<Lead, 'appliedEvents'>, id: string): boolean {
  return lead.appliedEvents.some((applied) => applied.toHexString() === id);
}

/**
 * Logged interactions' deltas into their leads, each exactly once, then rescoring and receipts.
 * Callers: ingestion (at once, or through the InteractionBacklog) and the PendingInteractionsSweeper.
 */
@Injectable()
export class InteractionApplyService extends TenantRepository<Lead> {
  private readonly logger = new Logger(InteractionApplyService.name);
  constructor(
    @InjectModel(Lead.name) model: Model<Lead>,
    private readonly interactions: InteractionsRepository,
    private readonly scoring: LeadScoringService,
  ) {
    super(model);
  }

  /**
   * Adds each event's delta to its lead exactly once, rescores those leads and records receipts.
   * Safe to call again with events that are applied already, concurrently too (ingestion, a
   * client's retry and the sweeper may meet the same event): each lead is written conditionally
   * on the version read, and a lead lists the events it holds (see `planEngagementUpdate`).
   */
  async applyEvents(
    tenantId: string,
    events: readonly ApplicableEvent[],
    reason: ScoreChangeReason,
    /** The leads as the caller just read them (ENGAGEMENT_READ): the first round reads no more. */
    readBefore?: readonly Lead[],
  ): Promise<{ applied: number; leadsRescored: number; leadMissing: number }> {
    if (events.length === 0) return { applied: 0, leadsRescored: 0, leadMissing: 0 };
    let pending = new Map<string, ApplicableEvent[]>();
    for (const event of events) {
      const key = event.leadRef.toHexString();
      const group = pending.get(key);
      if (group) group.push(event);
      else pending.set(key, [event]);
    }
    /** Leads not found: their events are left without a receipt (see below). */
    const missing = new Set<string>();
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
      if (leads.length < pending.size) {
        const found = new Set(leads.map((lead) => lead._id.toHexString()));
        for (const key of pending.keys()) if (!found.has(key)) missing.add(key);
      }
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
      const next = new Map<string, ApplicableEvent[]>();
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
    // Nor has an event whose lead was not found: callers check that leads exist before storing
    // events, so that means a lead lost since (a store rolled back, a backup restored). Left in the
    // log without a receipt, it is tried again by the sweep while in its window, and said here.
    const receipted =
      missing.size === 0
        ? events
        : events.filter((event) => !missing.has(event.leadRef.toHexString()));
    await this.interactions.markApplied(
      tenantId,
      receipted.map((event) => event._id),
      CLAIMANT,
    );
    const leadMissing = events.length - receipted.length;
    if (leadMissing > 0)
      this.logger.error({
        msg: 'interactions of leads not found left unapplied, without a receipt',
        tenantId,
        events: leadMissing,
        leads: [...missing].slice(0, 20),
      });
    return { applied, leadsRescored: changed.length, leadMissing };
  }

  /** An unordered bulk write answering how many filters matched; a failed operation just did not. */
  private async bulkWriteCounted(
    tenantId: string,
    operations: Parameters<InteractionApplyService['bulkWriteStored']>[1],
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
