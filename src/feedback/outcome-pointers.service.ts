import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { BulkOperation, TenantRepository } from '@/common/tenancy/tenant-repository';
import { LeadClosingService, LeadOutcomePointer } from '@/leads/lead-closing.service';

import { OutcomeRecord } from './schemas/outcome.schema';

/** Rounds of reading pointers and setting flags before leads that keep moving are left to their movers. */
const MAX_FOLLOW_ROUNDS = 5;
/** Leads whose records are read by lead at once. */
const PARALLEL_READS = 16;

/** A lead whose outcome records are to follow its pointer. */
export interface FollowedLead {
  readonly ref: Types.ObjectId;
  /**
   * The records that may be current beside the one it points at: those its pointer held before
   * the caller's write, when the caller knows them for certain (a write conditional on the
   * version read). Without, every record of the lead is read (by lead: a scan on engines that
   * only use unique indexes), except for a lead written once only.
   */
  readonly others?: readonly Types.ObjectId[];
}

/**
 * Keeps the outcome records' `current` flags on their leads' pointers: exactly the record a lead
 * points at (`Lead.outcome.id`) is current. The pointer is read here, after the callers' writes,
 * never taken from them: of two writers racing on one lead, the one whose pointer write lost
 * still sets the flags from the winner's pointer.
 */
@Injectable()
export class OutcomePointersService extends TenantRepository<OutcomeRecord> {
  private readonly logger = new Logger(OutcomePointersService.name);

  constructor(
    @InjectModel(OutcomeRecord.name) model: Model<OutcomeRecord>,
    private readonly leads: LeadClosingService,
  ) {
    super(model);
  }

  /**
   * Makes each lead's records agree with its pointer as it is now. A pointer that moved while its
   * flags were set (another close or reopen landed) is followed again, the record just made
   * current among the others; and each writer that moves a pointer follows it after its write,
   * so the last of them leaves the flags on the final pointer.
   */
  async follow(tenantId: string, leads: readonly FollowedLead[]): Promise<void> {
    let pending = [...new Map(leads.map((lead) => [lead.ref.toHexString(), lead])).values()];
    for (let round = 1; pending.length > 0; round++) {
      const refs = pending.map((lead) => lead.ref);
      const pointers = await this.leads.outcomePointers(tenantId, refs);
      await this.setFlags(tenantId, pending, pointers);
      const now = await this.leads.outcomePointers(tenantId, refs);
      const moved: FollowedLead[] = [];
      for (const lead of pending) {
        const key = lead.ref.toHexString();
        const followed = pointers.get(key)?.outcomeId ?? null;
        if (sameId(followed, now.get(key)?.outcomeId ?? null)) continue;
        moved.push({
          ref: lead.ref,
          others: lead.others && (followed ? [...lead.others, followed] : lead.others),
        });
      }
      if (moved.length > 0 && round === MAX_FOLLOW_ROUNDS) {
        this.logger.warn({
          msg: 'outcome pointers kept moving while their records were followed',
          tenantId,
          leads: moved.length,
        });
        return;
      }
      pending = moved;
    }
  }

  private async setFlags(
    tenantId: string,
    leads: readonly FollowedLead[],
    pointers: ReadonlyMap<string, LeadOutcomePointer>,
  ): Promise<void> {
    const pointerOf = (ref: Types.ObjectId) => pointers.get(ref.toHexString())?.outcomeId ?? null;
    // By `_id`: the records pointed at, and the others the callers named.
    const byId = new Map<string, Types.ObjectId>();
    for (const lead of leads) {
      for (const id of [pointerOf(lead.ref), ...(lead.others ?? [])])
        if (id) byId.set(id.toHexString(), id);
    }
    const known = await this.findByIds(tenantId, [...byId.values()], { current: 1, leadRef: 1 });
    // By lead: every record of the leads whose other records are not known. A lead written once
    // only (version 1) is skipped: created by the close that points at its record, it never
    // pointed at another one.
    const unknown = leads.filter(
      (lead) => !lead.others && (pointers.get(lead.ref.toHexString())?.version ?? 0) > 1,
    );
    const scanned: Pick<OutcomeRecord, '_id' | 'current' | 'leadRef'>[] = [];
    for (let start = 0; start < unknown.length; start += PARALLEL_READS) {
      const found = await Promise.all(
        unknown
          .slice(start, start + PARALLEL_READS)
          .map(({ ref: leadRef }) =>
            this.find(tenantId, { leadRef }, { projection: { _id: 1, current: 1, leadRef: 1 } }),
          ),
      );
      scanned.push(...found.flat());
    }

    const now = new Date();
    const operations = new Map<string, BulkOperation>();
    for (const record of [...known, ...scanned]) {
      const pointer = pointerOf(record.leadRef);
      const shouldBe = pointer !== null && record._id.equals(pointer);
      if (record.current === shouldBe) continue;
      operations.set(record._id.toHexString(), {
        updateOne: {
          filter: { _id: record._id },
          update: {
            $set: shouldBe
              ? { current: true, replacedAt: null }
              : { current: false, replacedAt: now },
          },
        },
      });
    }
    await this.bulkWriteStored(tenantId, [...operations.values()]);
  }
}

function sameId(a: Types.ObjectId | null, b: Types.ObjectId | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}
