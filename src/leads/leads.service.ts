import { hostname } from 'node:os';

import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';
import { UsersService } from '@/auth/users.service';
import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import type { FieldProblem } from '@/common/validation/app-validation.pipe';
import { LeadScoringService } from '@/scoring/lead-scoring.service';
import { LeadSnapshot } from '@/scoring/lead-score.types';
import { ScoringModelRegistry } from '@/scoring/scoring-model.registry';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { InteractionInput, LeadInput } from './dto/lead.inputs';
import {
  interactionIdFor,
  InteractionsRepository,
  NewInteraction,
} from './interactions.repository';
import { EngagementEvent, EngagementPlan, planEngagementUpdate } from './engagement-delta.util';
import { LeadsException } from './leads.exception';
import { Interaction, InteractionType } from './schemas/interaction.schema';
import { Lead, LeadOutcomeState, LeadOutcomeValue } from './schemas/lead.schema';

const MAX_FUTURE_MS = 24 * 3_600_000;
/** Rounds of read, plan and conditional write before a busy lead's events are left to a retry. */
const MAX_APPLY_ATTEMPTS = 5;
/** Who claims events in this process (claims say which process added an event, for support). */
const CLAIMANT = `${hostname()}:${process.pid}`;

function listed(lead: Pick<Lead, 'appliedEvents'>, id: string): boolean {
  return lead.appliedEvents.some((applied) => applied.toHexString() === id);
}

/** An outcome a write of leads closes a lead with (a CSV import's outcome column). */
export interface LeadClose {
  readonly id: Types.ObjectId;
  readonly outcome: LeadOutcomeValue;
  readonly at: Date;
  /**
   * The date is a default (an import without a date column): a lead that already has this
   * outcome keeps it, with its date, rather than being closed again "now" by a re-import.
   */
  readonly keepSame?: boolean;
}

/** A lead of a batch that could not be written, by its position in the batch. */
export interface WriteFailure {
  readonly index: number;
  readonly leadId: string;
  readonly reason: string;
}

/** A lead's `_id` follows from its tenant and external id: ingestion resolves ids without a query. */
export function leadRefFor(tenantId: string, leadId: string): Types.ObjectId {
  return derivedObjectId('lead', tenantId, leadId);
}

export function toSnapshot(lead: Lead): LeadSnapshot {
  return {
    leadRef: lead._id,
    leadId: lead.leadId,
    name: lead.name,
    email: lead.email,
    ownerId: lead.ownerId,
    status: lead.status,
    emailOpens: lead.emailOpens,
    websiteVisits: lead.websiteVisits,
    timeSpentSeconds: lead.timeSpentSeconds,
    lastActivityAt: lead.lastActivityAt,
    version: lead.version,
    // Engagement writes read leads without their attributes: the score's copy stands in then.
    ...(lead.attributes !== undefined ? { attributes: lead.attributes } : {}),
  };
}

function keeps(close: LeadClose, lead: Lead | undefined): boolean {
  return close.keepSame === true && lead?.outcome?.outcome === close.outcome;
}

/** What a close reads of a lead before writing it. */
export const CLOSE_READ = {
  _id: 1,
  status: 1,
  outcome: 1,
  emailOpens: 1,
  websiteVisits: 1,
  timeSpentSeconds: 1,
  lastActivityAt: 1,
} as const;

/** The outcome state a close writes, from the lead as it was just before (none: a new lead). */
export function closeState(close: LeadClose, lead: Lead | undefined): LeadOutcomeState {
  return {
    id: close.id,
    outcome: close.outcome,
    at: close.at,
    // A lead closed again (a replaced outcome) keeps the status it had before its first close.
    statusBefore: lead?.outcome?.statusBefore ?? lead?.status ?? 'NEW',
    emailOpens: lead?.emailOpens ?? 0,
    websiteVisits: lead?.websiteVisits ?? 0,
    timeSpentSeconds: lead?.timeSpentSeconds ?? 0,
    lastActivityAt: lead?.lastActivityAt ?? null,
  };
}

/** Leads and their interaction log; every change is handed to scoring at once. */
@Injectable()
export class LeadsService extends TenantRepository<Lead> implements OnModuleInit {
  private readonly logger = new Logger(LeadsService.name);
  constructor(
    @InjectModel(Lead.name) model: Model<Lead>,
    private readonly interactions: InteractionsRepository,
    private readonly users: UsersService,
    private readonly scoring: LeadScoringService,
    private readonly models: ScoringModelRegistry,
  ) {
    super(model);
  }

  /** Indexes of inputs whose owner is not an active user of the tenant. */
  async unknownOwners(tenantId: string, inputs: readonly LeadInput[]): Promise<Set<number>> {
    const owners = [
      ...new Set(inputs.map((input) => input.ownerId).filter((id): id is string => Boolean(id))),
    ];
    const bad = new Set<number>();
    if (owners.length === 0) return bad;
    const valid = owners.filter((id) => Types.ObjectId.isValid(id));
    const known = new Set(
      (
        await this.users.find(
          tenantId,
          { _id: { $in: valid.map((id) => new Types.ObjectId(id)) }, isActive: true },
          { projection: { _id: 1 } },
        )
      ).map((user) => user._id.toHexString()),
    );
    inputs.forEach((input, i) => {
      if (input.ownerId && !known.has(input.ownerId)) bad.add(i);
    });
    return bad;
  }

  async upsertLeads(
    tenantId: string,
    inputs: LeadInput[],
  ): Promise<{ created: number; updated: number; leads: Lead[]; failed: WriteFailure[] }> {
    const problems: FieldProblem[] = [];
    const seen = new Map<string, number>();
    inputs.forEach((input, i) => {
      const first = seen.get(input.leadId);
      if (first !== undefined)
        problems.push({
          path: `leads.${i}.leadId`,
          messages: [`duplicates leads.${first}.leadId in the same call`],
        });
      else seen.set(input.leadId, i);
    });
    for (const i of await this.unknownOwners(tenantId, inputs)) {
      problems.push({
        path: `leads.${i}.ownerId`,
        messages: ['no active user with this id in your tenant'],
      });
    }
    if (problems.length > 0) throw LeadsException.invalidItems(problems);
    return this.writeLeads(tenantId, inputs);
  }

  /**
   * Writes validated leads (unique leadIds, known owners) and scores them. `closes` (by position)
   * closes leads with an outcome in the same write: the lead's pointer to its outcome record and
   * its engagement at that moment, with the status the input carries.
   */
  async writeLeads(
    tenantId: string,
    inputs: readonly LeadInput[],
    { closes }: { closes?: ReadonlyMap<number, LeadClose> } = {},
  ): Promise<{
    created: number;
    updated: number;
    leads: Lead[];
    failed: WriteFailure[];
    /** The outcomes that written closes replaced (their leads' outcome before). */
    replaced: Types.ObjectId[];
    /** Positions whose close was written (not kept: see LeadClose.keepSame). */
    closed: number[];
  }> {
    const refs = inputs.map((input) => leadRefFor(tenantId, input.leadId));
    const before = new Map(
      (
        await this.findByIds(tenantId, refs, closes && closes.size > 0 ? CLOSE_READ : { _id: 1 })
      ).map((lead) => [lead._id.toHexString(), lead]),
    );
    const existing = new Set(before.keys());
    const now = new Date();
    const refused = await this.bulkWriteStoredItems(
      tenantId,
      inputs.map((input, i) => {
        const set: Record<string, unknown> = { updatedAt: now };
        if (input.name !== undefined) set.name = input.name;
        if (input.email !== undefined) set.email = input.email;
        if (input.ownerId !== undefined) set.ownerId = input.ownerId;
        if (input.status !== undefined) set.status = input.status;
        if (input.attributes !== undefined) set.attributes = input.attributes;
        const close = closes?.get(i);
        const lead = before.get(refs[i].toHexString());
        if (close && !keeps(close, lead)) set.outcome = closeState(close, lead);
        const setOnInsert: Record<string, unknown> = {
          leadId: input.leadId,
          createdAt: now,
          emailOpens: 0,
          websiteVisits: 0,
          timeSpentSeconds: 0,
          lastActivityAt: null,
          appliedEvents: [],
        };
        for (const [key, fallback] of [
          ['name', null],
          ['email', null],
          ['ownerId', null],
          ['status', 'NEW'],
          ['attributes', {}],
          ['outcome', null],
        ] as const) {
          if (!(key in set)) setOnInsert[key] = fallback;
        }
        return {
          updateOne: {
            // By the derived `_id` alone (with the tenant): the filter the tenant key index serves.
            filter: { _id: refs[i] },
            // Every write of a lead moves its version: scores written from an older one lose.
            update: { $set: set, $setOnInsert: setOnInsert, $inc: { version: 1 } },
            upsert: true,
          },
        };
      }),
    );
    // Every lead that was written is scored, whatever happened to the others of the batch.
    const written = refs.filter((_, i) => !refused.has(i));
    const leads = await this.findByIds(tenantId, written);
    await this.scoring.scoreSnapshots(
      tenantId,
      leads.map(toSnapshot),
      ScoreChangeReason.LEAD_UPDATED,
    );
    const created = written.filter((ref) => !existing.has(ref.toHexString())).length;
    const applied = [...(closes ?? [])].filter(
      ([i, close]) => !refused.has(i) && !keeps(close, before.get(refs[i].toHexString())),
    );
    const replaced = applied.flatMap(([i, close]) => {
      const previous = before.get(refs[i].toHexString())?.outcome?.id;
      return previous && !previous.equals(close.id) ? [previous] : [];
    });
    const failed = [...refused].map(([index, reason]) => ({
      index,
      leadId: inputs[index].leadId,
      reason,
    }));
    if (failed.length > 0)
      this.logger.warn({ msg: 'leads not written', tenantId, count: failed.length, failed });
    return {
      created,
      updated: written.length - created,
      leads,
      failed,
      replaced,
      closed: applied.map(([i]) => i),
    };
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
    // exists but is someone else's answers exactly like one that does not exist.
    const known = new Set(
      (await this.findByIds(tenantId, [...refByLeadId.values()], { _id: 1, ownerId: 1 }))
        .filter((lead) => ownerId === undefined || String(lead.ownerId) === ownerId)
        .map((lead) => lead._id.toHexString()),
    );
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
    );
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
      const leads = await this.findByIds(
        tenantId,
        [...pending.values()].map((group) => group[0].leadRef),
        { attributes: 0 },
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
    operations: Parameters<LeadsService['bulkWriteStored']>[1],
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

  /** Reps only reach their own leads. */
  ownerScope(caller: AuthUser, requested?: string): string | undefined {
    return caller.role === Role.REP ? caller.userId : requested;
  }

  /** Scoring reads attributes through this when a stored score lacks their copy. */
  onModuleInit(): void {
    this.models.useLeadAttributes(async (tenantId, refs) => {
      const leads = await this.findByIds(tenantId, refs, { _id: 1, attributes: 1 });
      return new Map(leads.map((lead) => [lead._id.toHexString(), lead.attributes ?? {}]));
    });
  }

  async rawByRefs(tenantId: string, refs: Types.ObjectId[]): Promise<Map<string, Lead>> {
    if (refs.length === 0) return new Map();
    const leads = await this.findByIds(tenantId, refs);
    return new Map(leads.map((lead) => [lead._id.toHexString(), lead]));
  }
}
