import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { TenantRepository } from '@/common/tenancy/tenant-repository';
import type { FieldProblem } from '@/common/validation/app-validation.pipe';
import { RankingMembership } from '@/scoring/ranking/ranking-membership';
import { ScoringMetrics } from '@/scoring/scoring-metrics';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { InteractionAcknowledgement, InteractionInput } from './dto/lead.inputs';
import { ENGAGEMENT_READ, InteractionApplyService } from './interaction-apply.service';
import { InteractionBacklog } from './interaction-backlog.service';
import { InteractionWindows, WindowTicket } from './interaction-windows.service';
import {
  interactionIdFor,
  InteractionsRepository,
  NewInteraction,
} from './interactions.repository';
import { leadRefFor } from './lead-snapshot.util';
import { LeadsException } from './leads.exception';
import { InteractionType } from './schemas/interaction.schema';
import { Lead } from './schemas/lead.schema';

const MAX_FUTURE_MS = 24 * 3_600_000;

/** Whether a caller limited to `ownerId`'s leads (a rep), or to none, reaches this lead. */
function reaches(lead: Pick<Lead, 'ownerId'>, ownerId: string | undefined): boolean {
  return ownerId === undefined || String(lead.ownerId) === ownerId;
}

export interface RecordInteractionsResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly leadsRescored: number;
  readonly queued: number;
}

/**
 * Interactions into the log, then their deltas into leads (InteractionApplyService): before the
 * answer (`APPLIED`), or after it, from this process's InteractionBacklog (`LOGGED`).
 */
@Injectable()
export class LeadEngagementService extends TenantRepository<Lead> {
  constructor(
    @InjectModel(Lead.name) model: Model<Lead>,
    private readonly interactions: InteractionsRepository,
    private readonly apply: InteractionApplyService,
    private readonly backlog: InteractionBacklog,
    private readonly windows: InteractionWindows,
    private readonly membership: RankingMembership,
    private readonly metrics: ScoringMetrics,
  ) {
    super(model);
  }

  /**
   * Stores new events and adds each one's delta to its lead exactly once, rescoring the leads:
   * before answering (`APPLIED`, the default), or after (`LOGGED`: answered once the events are in
   * the log, applied by this process's backlog within moments; `queued` counts them).
   * With `ownerId` (a rep's calls), only leads of that owner are reachable.
   * A retried or concurrent delivery of a key is refused by the log's unique `_id`, so it never
   * counts twice; out-of-order events only move `lastActivityAt` forward ($max).
   */
  async recordInteractions(
    tenantId: string,
    inputs: InteractionInput[],
    {
      ownerId,
      acknowledge = InteractionAcknowledgement.APPLIED,
    }: { ownerId?: string; acknowledge?: InteractionAcknowledgement } = {},
  ): Promise<RecordInteractionsResult> {
    const refByLeadId = new Map(
      inputs.map((input) => [input.leadId, leadRefFor(tenantId, input.leadId)]),
    );
    const refs = [...refByLeadId.values()];
    // Writes follow the visibility of reads: a rep reaches their own leads only, and a lead that
    // exists but is someone else's answers exactly like one that does not exist. Applied at once,
    // the leads are read whole (but for the attributes): the first round of `applyEvents`.
    const logged = acknowledge === InteractionAcknowledgement.LOGGED;
    const readBefore = logged
      ? undefined
      : (await this.findByIds(tenantId, refs, ENGAGEMENT_READ)).filter((lead) =>
          reaches(lead, ownerId),
        );
    const known = readBefore
      ? new Set(readBefore.map((lead) => lead._id.toHexString()))
      : await this.reachable(tenantId, refs, ownerId);
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
    // The window's marker first: should this call die part way, the sweep finds its events.
    const ticket = await this.windows.open();
    let handedOver = false;
    try {
      const { result, unreceipted } = await this.storeAndApply(tenantId, inputs.length, events, {
        logged,
        readBefore,
        ticket,
        // Queued, the backlog settles (or abandons) the window once it is done with them.
        onQueued: () => (handedOver = true),
      });
      if (handedOver) return result;
      // Events of leads not found keep no receipt: each sweep tries them again while the marker stays.
      if (unreceipted > 0) this.windows.abandon(ticket.window);
      else this.windows.settle(ticket.window);
      return result;
    } catch (error) {
      if (!handedOver) this.windows.abandon(ticket.window);
      throw error;
    }
  }

  /** The events into the log under the call's window, then applied or queued (see above). */
  private async storeAndApply(
    tenantId: string,
    received: number,
    events: readonly NewInteraction[],
    {
      logged,
      readBefore,
      ticket,
      onQueued,
    }: {
      logged: boolean;
      readBefore: readonly Lead[] | undefined;
      ticket: WindowTicket;
      onQueued: () => void;
    },
  ): Promise<{ result: RecordInteractionsResult; unreceipted: number }> {
    const stored = await this.interactions.insertNew(tenantId, events, ticket.receivedAt);
    // A key stored before counts as a duplicate only once its delta is in its lead: a first
    // delivery that died (or failed) between storing and applying is finished here, exactly once.
    // (Every event new, the common case: no ids compared.)
    const storedIds =
      stored.length === events.length
        ? undefined
        : new Set(stored.map((event) => event._id.toHexString()));
    const repeated = storedIds
      ? events.filter((event) => !storedIds.has(event._id.toHexString()))
      : [];
    // Acknowledged LOGGED, one still queued here is left to its first delivery's apply (a client
    // retrying while the backlog is full would otherwise queue it again with every retry).
    const unfinished = await this.interactions.unapplied(
      repeated
        .filter((event) => !logged || !this.backlog.holds(event._id.toHexString()))
        .map((event) => event._id),
    );
    const toFinish =
      unfinished.size > 0
        ? await this.interactions.findEvents(
            tenantId,
            repeated.filter((event) => unfinished.has(event._id.toHexString())).map((e) => e._id),
          )
        : [];
    this.metrics.interactions.inc({ outcome: 'stored' }, stored.length);
    this.metrics.interactions.inc({ outcome: 'duplicate' }, received - stored.length);
    const toApply = [...stored, ...toFinish];
    let leadsRescored = 0;
    let unreceipted = 0;
    if (logged && toApply.length > 0) {
      await this.backlog.enqueue(tenantId, toApply, ticket.window);
      onQueued();
    } else if (!logged)
      ({ leadsRescored, leadMissing: unreceipted } = await this.apply.applyEvents(
        tenantId,
        toApply,
        ScoreChangeReason.INTERACTION,
        readBefore,
      ));
    const result = {
      accepted: stored.length,
      duplicates: received - stored.length,
      leadsRescored,
      queued: logged ? toApply.length : 0,
    };
    return { result, unreceipted };
  }

  /**
   * The refs of leads the caller may reach, without reading leads where the ranking index vouches
   * for them (a tenant-wide caller: RankingMembership); the rest, and a rep's, from MongoDB.
   */
  private async reachable(
    tenantId: string,
    refs: readonly Types.ObjectId[],
    ownerId: string | undefined,
  ): Promise<Set<string>> {
    const known = new Set<string>();
    let unvouched = refs;
    if (ownerId === undefined) {
      const held = await this.membership.held(tenantId, refs);
      unvouched = refs.filter((ref, i) => {
        if (held[i]) known.add(ref.toHexString());
        return !held[i];
      });
    }
    if (unvouched.length > 0)
      for (const lead of await this.findByIds(tenantId, unvouched, { _id: 1, ownerId: 1 }))
        if (reaches(lead, ownerId)) known.add(lead._id.toHexString());
    return known;
  }
}
