import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';
import { UsersService } from '@/auth/users.service';
import { BulkOperation, TenantRepository } from '@/common/tenancy/tenant-repository';
import type { FieldProblem } from '@/common/validation/app-validation.pipe';
import { LeadScoringService } from '@/scoring/lead-scoring.service';
import { ScoringModelRegistry } from '@/scoring/scoring-model.registry';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { LeadInput } from './dto/lead.inputs';
import { leadRefFor, toSnapshot } from './lead-snapshot.util';
import { LeadsException } from './leads.exception';
import { Lead, LeadOutcomeState, LeadOutcomeValue } from './schemas/lead.schema';

/** Rounds of read, decide and conditional close before a lead that keeps moving is refused. */
const MAX_WRITE_ROUNDS = 5;

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

/** A lead a write of leads is about to close (or finds closed with that close: a retry). */
export interface ClosingLead {
  /** Its position in the batch. */
  readonly index: number;
  readonly ref: Types.ObjectId;
  /** Its owner once written. */
  readonly ownerId: string | null;
}

/** A lead of a write of leads that points at its close after it (closed now, or before). */
export interface LabelledLead {
  /** Its position in the batch. */
  readonly index: number;
  /**
   * The outcome it pointed at before this close (null: none), when known for certain (the close
   * was written on the version it was read at); undefined when not (a lead created by the write,
   * or closed by an earlier attempt of the same import).
   */
  readonly previous: Types.ObjectId | null | undefined;
}

function pointsAt(close: LeadClose, lead: Lead | undefined): boolean {
  return lead?.outcome?.id.equals(close.id) ?? false;
}

/**
 * Whether the lead keeps the outcome it has: this very one already (a retried import), or the
 * same outcome when the close's date is a default (see LeadClose.keepSame).
 */
function keeps(close: LeadClose, lead: Lead | undefined): boolean {
  if (pointsAt(close, lead)) return true;
  return close.keepSame === true && lead?.outcome?.outcome === close.outcome;
}

/** What a close reads of a lead before writing it. */
export const CLOSE_READ = {
  _id: 1,
  version: 1,
  ownerId: 1,
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

/**
 * The write of one lead of a batch: its fields, the outcome a close gives it, and its version
 * moved. With `version` (a close of a lead that exists) it applies only to the lead as it was read;
 * without, it creates the lead when there is none.
 */
function leadWrite(
  input: LeadInput,
  ref: Types.ObjectId,
  { outcome, version }: { outcome?: LeadOutcomeState; version?: number },
  now: Date,
): BulkOperation {
  const set: Record<string, unknown> = { updatedAt: now };
  if (input.name !== undefined) set.name = input.name;
  if (input.email !== undefined) set.email = input.email;
  if (input.ownerId !== undefined) set.ownerId = input.ownerId;
  if (input.status !== undefined) set.status = input.status;
  if (input.attributes !== undefined) {
    set.attributes = input.attributes;
    set.attributesStamp = new Types.ObjectId().toHexString();
  }
  if (outcome) set.outcome = outcome;
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
      // By the derived `_id` (with the tenant), and the version for a conditional close: the
      // filters the tenant key and tenant version indexes serve.
      filter: version === undefined ? { _id: ref } : { _id: ref, version },
      // Every write of a lead moves its version: scores written from an older one lose.
      update: { $set: set, $setOnInsert: setOnInsert, $inc: { version: 1 } },
      upsert: version === undefined,
    },
  };
}

/** Leads: writes (each handed to scoring at once), raw reads and who may reach them. */
@Injectable()
export class LeadsService extends TenantRepository<Lead> implements OnModuleInit {
  private readonly logger = new Logger(LeadsService.name);
  constructor(
    @InjectModel(Lead.name) model: Model<Lead>,
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
   * its engagement at that moment, with the status the input carries. The close of a lead that
   * exists is written conditionally on the version read (read again and retried when the lead
   * moved in between), so it never stands on a stale copy of the lead's outcome or engagement.
   * `beforeClose` hears of the leads about to point at their close (or pointing at it already: a
   * retried import) before they are written, so their outcome records can be written first, with
   * the scores the leads show before this write rescores them.
   */
  async writeLeads(
    tenantId: string,
    inputs: readonly LeadInput[],
    {
      closes,
      beforeClose,
    }: {
      closes?: ReadonlyMap<number, LeadClose>;
      beforeClose?: (closing: readonly ClosingLead[]) => Promise<void>;
    } = {},
  ): Promise<{
    created: number;
    updated: number;
    leads: Lead[];
    failed: WriteFailure[];
    /** Positions whose close this call wrote (not kept: see LeadClose.keepSame). */
    closed: number[];
    /** The leads that point at their close after this call: their records follow the pointer. */
    labelled: LabelledLead[];
  }> {
    const refs = inputs.map((input) => leadRefFor(tenantId, input.leadId));
    const read: Record<string, 1> = closes && closes.size > 0 ? CLOSE_READ : { _id: 1 };
    const before = new Map(
      (await this.findByIds(tenantId, refs, read)).map((lead) => [lead._id.toHexString(), lead]),
    );
    const existing = new Set(before.keys());
    const refused = new Map<number, string>();
    const closed = new Set<number>();
    const prepared = new Set<number>();
    const labelled = new Map<number, Types.ObjectId | null | undefined>();
    let pending = inputs.map((_, i) => i);
    for (let round = 1; pending.length > 0; round++) {
      const plans = pending.map((i) => {
        const close = closes?.get(i);
        const lead = before.get(refs[i].toHexString());
        const outcome = close && !keeps(close, lead) ? closeState(close, lead) : undefined;
        // A close of an existing lead only on the version it was decided on.
        return { i, close, lead, outcome, version: outcome && lead ? lead.version : undefined };
      });
      const toPrepare = plans.filter(
        ({ i, close, lead, outcome }) =>
          close && !prepared.has(i) && (outcome || pointsAt(close, lead)),
      );
      if (beforeClose && toPrepare.length > 0)
        await beforeClose(
          toPrepare.map(({ i, lead }) => ({
            index: i,
            ref: refs[i],
            ownerId: inputs[i].ownerId ?? lead?.ownerId ?? null,
          })),
        );
      for (const { i } of toPrepare) prepared.add(i);
      const now = new Date();
      const failures = await this.bulkWriteStoredItems(
        tenantId,
        plans.map((plan) => leadWrite(inputs[plan.i], refs[plan.i], plan, now)),
      );
      for (const [k, reason] of failures) refused.set(plans[k].i, reason);
      const written = plans.filter((plan) => !refused.has(plan.i));
      for (const { i, close, lead, outcome, version } of written) {
        // Created with its close (or found so, by the upsert), or closed by an earlier attempt:
        // which outcome it pointed at before is not known here.
        if (outcome && version === undefined) {
          closed.add(i);
          labelled.set(i, undefined);
        } else if (close && !outcome && pointsAt(close, lead)) labelled.set(i, undefined);
      }
      const conditional = written.filter((plan) => plan.version !== undefined);
      if (conditional.length === 0) break;
      // A conditional close that took left its lead pointing at it; the others meet a lead that
      // moved since it was read: read again, decided again, written again.
      const after = new Map(
        (
          await this.findByIds(
            tenantId,
            conditional.map((plan) => refs[plan.i]),
            CLOSE_READ,
          )
        ).map((lead) => [lead._id.toHexString(), lead]),
      );
      pending = [];
      for (const plan of conditional) {
        const lead = after.get(refs[plan.i].toHexString());
        if (lead?.outcome?.id.equals(plan.close!.id)) {
          closed.add(plan.i);
          // Written on the version read: the outcome it replaced is exactly the one read.
          labelled.set(plan.i, plan.lead!.outcome?.id ?? null);
        } else if (lead && round < MAX_WRITE_ROUNDS) {
          before.set(lead._id.toHexString(), lead);
          pending.push(plan.i);
        } else refused.set(plan.i, 'the lead kept changing while it was written; retry');
      }
    }
    // Every lead that was written is scored, whatever happened to the others of the batch.
    const written = refs.filter((_, i) => !refused.has(i));
    const leads = await this.findByIds(tenantId, written);
    await this.scoring.scoreSnapshots(
      tenantId,
      leads.map(toSnapshot),
      ScoreChangeReason.LEAD_UPDATED,
    );
    const created = written.filter((ref) => !existing.has(ref.toHexString())).length;
    const failed = [...refused]
      .sort(([a], [b]) => a - b)
      .map(([index, reason]) => ({ index, leadId: inputs[index].leadId, reason }));
    if (failed.length > 0)
      this.logger.warn({ msg: 'leads not written', tenantId, count: failed.length, failed });
    return {
      created,
      updated: written.length - created,
      leads,
      failed,
      closed: [...closed].sort((a, b) => a - b),
      labelled: [...labelled]
        .filter(([index]) => !refused.has(index))
        .sort(([a], [b]) => a - b)
        .map(([index, previous]) => ({ index, previous })),
    };
  }

  /** Reps only reach their own leads. */
  ownerScope(caller: AuthUser, requested?: string): string | undefined {
    return caller.role === Role.REP ? caller.userId : requested;
  }

  /** Scoring reads attributes through this when a stored score lacks their copy. */
  onModuleInit(): void {
    this.models.useLeadAttributes(async (tenantId, refs) => {
      const leads = await this.findByIds(tenantId, refs, {
        _id: 1,
        attributes: 1,
        attributesStamp: 1,
      });
      return new Map(
        leads.map((lead) => [
          lead._id.toHexString(),
          {
            attributes: lead.attributes ?? {},
            ...(lead.attributesStamp ? { stamp: lead.attributesStamp } : {}),
          },
        ]),
      );
    });
  }

  async rawByRefs(tenantId: string, refs: Types.ObjectId[]): Promise<Map<string, Lead>> {
    if (refs.length === 0) return new Map();
    const leads = await this.findByIds(tenantId, refs);
    return new Map(leads.map((lead) => [lead._id.toHexString(), lead]));
  }
}
