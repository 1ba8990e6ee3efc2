import { hostname } from 'node:os';

import { Injectable } from '@nestjs/common';
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
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { InteractionInput, LeadInput } from './dto/lead.inputs';
import {
  interactionIdFor,
  InteractionsRepository,
  NewInteraction,
} from './interactions.repository';
import { LeadsException } from './leads.exception';
import { Interaction, InteractionType } from './schemas/interaction.schema';
import { Lead } from './schemas/lead.schema';

const MAX_FUTURE_MS = 24 * 3_600_000;
/** Who claims events in this process (claims say which process added an event, for support). */
const CLAIMANT = `${hostname()}:${process.pid}`;

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
  };
}

/** Leads and their interaction log; every change is handed to scoring at once. */
@Injectable()
export class LeadsService extends TenantRepository<Lead> {
  constructor(
    @InjectModel(Lead.name) model: Model<Lead>,
    private readonly interactions: InteractionsRepository,
    private readonly users: UsersService,
    private readonly scoring: LeadScoringService,
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
  ): Promise<{ created: number; updated: number; leads: Lead[] }> {
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

  /** Writes validated leads (unique leadIds, known owners) and scores them. */
  async writeLeads(
    tenantId: string,
    inputs: readonly LeadInput[],
  ): Promise<{ created: number; updated: number; leads: Lead[] }> {
    const refs = inputs.map((input) => leadRefFor(tenantId, input.leadId));
    const existing = new Set(
      (await this.findByIds(tenantId, refs, { _id: 1 })).map((lead) => lead._id.toHexString()),
    );
    const now = new Date();
    await this.bulkWriteStored(
      tenantId,
      inputs.map((input, i) => {
        const set: Record<string, unknown> = { updatedAt: now };
        if (input.name !== undefined) set.name = input.name;
        if (input.email !== undefined) set.email = input.email;
        if (input.ownerId !== undefined) set.ownerId = input.ownerId;
        if (input.status !== undefined) set.status = input.status;
        if (input.attributes !== undefined) set.attributes = input.attributes;
        const setOnInsert: Record<string, unknown> = {
          leadId: input.leadId,
          createdAt: now,
          emailOpens: 0,
          websiteVisits: 0,
          timeSpentSeconds: 0,
          lastActivityAt: null,
        };
        for (const [key, fallback] of [
          ['name', null],
          ['email', null],
          ['ownerId', null],
          ['status', 'NEW'],
          ['attributes', {}],
        ] as const) {
          if (!(key in set)) setOnInsert[key] = fallback;
        }
        return {
          updateOne: {
            // By the derived `_id` alone (with the tenant): the filter the tenant key index serves.
            filter: { _id: refs[i] },
            update: { $set: set, $setOnInsert: setOnInsert },
            upsert: true,
          },
        };
      }),
    );
    const leads = await this.findByIds(tenantId, refs);
    await this.scoring.scoreSnapshots(
      tenantId,
      leads.map(toSnapshot),
      ScoreChangeReason.LEAD_UPDATED,
    );
    const created = refs.filter((ref) => !existing.has(ref.toHexString())).length;
    return { created, updated: inputs.length - created, leads };
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
    const rescored = await this.applyEvents(tenantId, stored, ScoreChangeReason.INTERACTION);
    return {
      accepted: stored.length,
      duplicates: inputs.length - stored.length,
      leadsRescored: rescored,
    };
  }

  /**
   * Claims the events and adds the ones won to their leads' aggregates, then rescores those leads.
   * Returns how many leads were rescored. Used by ingestion and by the sweeper of events whose
   * writer died between storing and applying them.
   */
  async applyEvents(
    tenantId: string,
    events: readonly Pick<
      Interaction,
      '_id' | 'leadRef' | 'emailOpen' | 'visit' | 'secondsSpent' | 'occurredAt'
    >[],
    reason: ScoreChangeReason,
  ): Promise<number> {
    if (events.length === 0) return 0;
    const won = new Set(
      (
        await this.interactions.claim(
          tenantId,
          events.map((event) => event._id),
          CLAIMANT,
        )
      ).map((id) => id.toHexString()),
    );
    const deltas = new Map<
      string,
      { ref: Types.ObjectId; opens: number; visits: number; seconds: number; latest: Date }
    >();
    for (const event of events) {
      if (!won.has(event._id.toHexString())) continue;
      const key = event.leadRef.toHexString();
      const delta = deltas.get(key) ?? {
        ref: event.leadRef,
        opens: 0,
        visits: 0,
        seconds: 0,
        latest: event.occurredAt,
      };
      delta.opens += event.emailOpen;
      delta.visits += event.visit;
      delta.seconds += event.secondsSpent;
      if (event.occurredAt > delta.latest) delta.latest = event.occurredAt;
      deltas.set(key, delta);
    }
    if (deltas.size === 0) return 0;
    const now = new Date();
    await this.bulkWriteStored(
      tenantId,
      [...deltas.values()].map((delta) => ({
        updateOne: {
          filter: { _id: delta.ref },
          update: {
            $inc: {
              emailOpens: delta.opens,
              websiteVisits: delta.visits,
              timeSpentSeconds: delta.seconds,
            },
            $max: { lastActivityAt: delta.latest },
            $set: { updatedAt: now },
          },
        },
      })),
    );
    const leads = await this.findByIds(
      tenantId,
      [...deltas.values()].map((delta) => delta.ref),
    );
    await this.scoring.scoreSnapshots(tenantId, leads.map(toSnapshot), reason);
    return leads.length;
  }

  /** Reps only reach their own leads. */
  ownerScope(caller: AuthUser, requested?: string): string | undefined {
    return caller.role === Role.REP ? caller.userId : requested;
  }

  async rawByRefs(tenantId: string, refs: Types.ObjectId[]): Promise<Map<string, Lead>> {
    if (refs.length === 0) return new Map();
    const leads = await this.findByIds(tenantId, refs);
    return new Map(leads.map((lead) => [lead._id.toHexString(), lead]));
  }
}
