import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';
import { UsersService } from '@/auth/users.service';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import type { FieldProblem } from '@/common/validation/app-validation.pipe';
import { LeadScoringService } from '@/scoring/lead-scoring.service';
import { LeadSnapshot } from '@/scoring/lead-score.types';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { InteractionInput, LeadInput } from './dto/lead.inputs';
import { LeadsException } from './leads.exception';
import { Interaction, InteractionType } from './schemas/interaction.schema';
import { Lead } from './schemas/lead.schema';

const DUPLICATE_KEY = 11000;
const MAX_FUTURE_MS = 24 * 3_600_000;

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
    @InjectModel(Interaction.name) private readonly interactions: Model<Interaction>,
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
    const existing = new Set(
      (
        await this.find(
          tenantId,
          { leadId: { $in: inputs.map((i) => i.leadId) } },
          { projection: { leadId: 1 } },
        )
      ).map((l) => l.leadId),
    );
    await this.bulkWrite(
      tenantId,
      inputs.map((input) => {
        const set: Record<string, unknown> = {};
        if (input.name !== undefined) set.name = input.name;
        if (input.email !== undefined) set.email = input.email;
        if (input.ownerId !== undefined) set.ownerId = input.ownerId;
        if (input.status !== undefined) set.status = input.status;
        if (input.attributes !== undefined) set.attributes = input.attributes;
        const setOnInsert: Record<string, unknown> = {
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
            filter: { leadId: input.leadId },
            update: { $set: set, $setOnInsert: setOnInsert },
            upsert: true,
          },
        };
      }),
    );
    const leads = await this.find(tenantId, { leadId: { $in: inputs.map((i) => i.leadId) } });
    await this.scoring.scoreSnapshots(
      tenantId,
      leads.map(toSnapshot),
      ScoreChangeReason.LEAD_UPDATED,
    );
    const created = inputs.filter((input) => !existing.has(input.leadId)).length;
    return { created, updated: inputs.length - created, leads };
  }

  async recordInteractions(
    tenantId: string,
    inputs: InteractionInput[],
  ): Promise<{ accepted: number; duplicates: number; leadsRescored: number }> {
    const leadIds = [...new Set(inputs.map((input) => input.leadId))];
    const leads = await this.find(
      tenantId,
      { leadId: { $in: leadIds } },
      { projection: { _id: 1, leadId: 1 } },
    );
    const refByLeadId = new Map(leads.map((lead) => [lead.leadId, lead._id]));
    const problems: FieldProblem[] = [];
    const latestAllowed = Date.now() + MAX_FUTURE_MS;
    inputs.forEach((input, i) => {
      if (!refByLeadId.has(input.leadId))
        problems.push({
          path: `interactions.${i}.leadId`,
          messages: [`no lead ${input.leadId} in your tenant`],
        });
      if (input.occurredAt.getTime() > latestAllowed)
        problems.push({
          path: `interactions.${i}.occurredAt`,
          messages: ['more than 24 hours in the future'],
        });
    });
    if (problems.length > 0) throw LeadsException.invalidItems(problems);

    const keys = inputs.map((input) => input.idempotencyKey);
    const known = new Set(
      (
        await this.interactions
          .find(
            { tenantId: new Types.ObjectId(tenantId), idempotencyKey: { $in: keys } },
            { idempotencyKey: 1 },
          )
          .lean<Interaction[]>()
          .exec()
      ).map((doc) => doc.idempotencyKey),
    );
    const fresh = new Map<string, InteractionInput>();
    for (const input of inputs) {
      if (!known.has(input.idempotencyKey) && !fresh.has(input.idempotencyKey))
        fresh.set(input.idempotencyKey, input);
    }
    const docs = [...fresh.values()].map((input) => ({
      tenantId: new Types.ObjectId(tenantId),
      leadRef: refByLeadId.get(input.leadId)!,
      type: input.type,
      occurredAt: input.occurredAt,
      idempotencyKey: input.idempotencyKey,
      emailOpen: input.type === InteractionType.EMAIL_OPEN ? 1 : 0,
      visit: input.type === InteractionType.WEBSITE_VISIT ? 1 : 0,
      secondsSpent: input.type === InteractionType.EMAIL_OPEN ? 0 : (input.secondsSpent ?? 0),
      metadata: input.metadata ?? {},
    }));

    let accepted = docs.length;
    if (docs.length > 0) {
      try {
        await this.interactions.insertMany(docs, { ordered: false });
      } catch (error) {
        // A concurrent retry stored some keys between our check and the insert: those are duplicates.
        const writeErrors = (
          error as { writeErrors?: { code?: number; err?: { code?: number } }[] }
        ).writeErrors;
        if (!writeErrors || writeErrors.some((e) => (e.code ?? e.err?.code) !== DUPLICATE_KEY))
          throw error;
        accepted -= writeErrors.length;
      }
    }
    const touched = [...new Set(docs.map((doc) => doc.leadRef.toHexString()))].map(
      (id) => new Types.ObjectId(id),
    );
    const rescored = await this.refreshEngagement(tenantId, touched, ScoreChangeReason.INTERACTION);
    return { accepted, duplicates: inputs.length - accepted, leadsRescored: rescored };
  }

  /**
   * Recomputes the engagement aggregates of these leads from the interaction log (so out-of-order
   * and retried events can never skew them), stores them, and rescores the leads.
   */
  async refreshEngagement(
    tenantId: string,
    leadRefs: Types.ObjectId[],
    reason: ScoreChangeReason,
  ): Promise<number> {
    if (leadRefs.length === 0) return 0;
    const totals = await this.interactions
      .aggregate<{
        _id: Types.ObjectId;
        emailOpens: number;
        websiteVisits: number;
        timeSpentSeconds: number;
        lastActivityAt: Date;
      }>([
        { $match: { tenantId: new Types.ObjectId(tenantId), leadRef: { $in: leadRefs } } },
        {
          $group: {
            _id: '$leadRef',
            emailOpens: { $sum: '$emailOpen' },
            websiteVisits: { $sum: '$visit' },
            timeSpentSeconds: { $sum: '$secondsSpent' },
            lastActivityAt: { $max: '$occurredAt' },
          },
        },
      ])
      .exec();
    await this.bulkWrite(
      tenantId,
      totals.map((total) => ({
        updateOne: {
          filter: { _id: total._id },
          update: {
            $set: {
              emailOpens: total.emailOpens,
              websiteVisits: total.websiteVisits,
              timeSpentSeconds: total.timeSpentSeconds,
              lastActivityAt: total.lastActivityAt,
            },
          },
        },
      })),
    );
    const leads = await this.find(tenantId, { _id: { $in: leadRefs } });
    await this.scoring.scoreSnapshots(tenantId, leads.map(toSnapshot), reason);
    return leads.length;
  }

  /** Reps only reach their own leads. */
  ownerScope(caller: AuthUser, requested?: string): string | undefined {
    return caller.role === Role.REP ? caller.userId : requested;
  }

  async rawByRefs(tenantId: string, refs: Types.ObjectId[]): Promise<Map<string, Lead>> {
    if (refs.length === 0) return new Map();
    const leads = await this.find(tenantId, { _id: { $in: refs } });
    return new Map(leads.map((lead) => [lead._id.toHexString(), lead]));
  }
}
