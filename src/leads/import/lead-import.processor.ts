import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Job } from 'bull';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Model, Types } from 'mongoose';

import { isFinalFailure } from '@/common/queues/final-failure.util';
import { flattenValidationErrors } from '@/common/validation/app-validation.pipe';
import { describeJsonProblems, findJsonProblems } from '@/common/validation/json-bounds.util';
import { jsonInputLimits } from '@/common/validation/json-input-limits';

import { LeadInput } from '../dto/lead.inputs';
import { OutcomesService, importedOutcomeId } from '@/feedback/outcomes.service';

import { leadRefFor } from '../lead-snapshot.util';
import { LeadClose, LeadsService } from '../leads.service';
import { LeadOutcomeValue } from '../schemas/lead.schema';
import { mapRow } from './csv-row.util';
import { ImportMapping } from './import-mapping';
import {
  IMPORT_CHUNK,
  IMPORT_LEADS_JOB,
  ImportLeadsJobData,
  IMPORTS_QUEUE,
} from './lead-import.constants';
import {
  LeadImport,
  LeadImportRow,
  LeadImportStatus,
  MAX_REPORTED_ERRORS,
} from './lead-import.schema';

/** How far ahead of this server's clock an imported outcome may be dated. */
const MAX_OUTCOME_AHEAD_MS = 5 * 60_000;

/** Where an attempt of an import staged before `LeadImport.lastRow` existed got to. */
function lastRowOfJob(job: Job<ImportLeadsJobData>): number {
  const progress = job.progress() as { lastRow?: number } | number;
  return typeof progress === 'object' ? (progress.lastRow ?? 0) : 0;
}

interface RowError {
  row: number;
  messages: string[];
}

/**
 * Imports staged rows chunk by chunk: each row is mapped and validated on its own, the good ones
 * are written together, the bad ones go to the error report. Progress (the last row done) is kept
 * in the job, so a worker that dies mid-import is followed by one that resumes there.
 */
@Processor(IMPORTS_QUEUE)
export class LeadImportProcessor {
  private readonly logger = new Logger(LeadImportProcessor.name);

  constructor(
    @InjectModel(LeadImport.name) private readonly imports: Model<LeadImport>,
    @InjectModel(LeadImportRow.name) private readonly rows: Model<LeadImportRow>,
    private readonly leads: LeadsService,
    private readonly outcomes: OutcomesService,
  ) {}

  @Process({ name: IMPORT_LEADS_JOB, concurrency: 1 })
  async run(job: Job<ImportLeadsJobData>): Promise<{ imported: number; failed: number }> {
    const { tenantId, importId } = job.data;
    const scope = { _id: new Types.ObjectId(importId), tenantId: new Types.ObjectId(tenantId) };
    const record = await this.imports.findOne(scope).lean<LeadImport>().exec();
    if (!record) throw new Error(`import ${importId} not found`);
    const mapping = plainToInstance(ImportMapping, record.mapping);
    // The record says which rows are counted; imports staged before it did rely on the job's.
    let lastRow = record.lastRow ?? lastRowOfJob(job);
    let legacy = record.lastRow === undefined;
    await this.imports.updateOne(scope, { $set: { status: LeadImportStatus.RUNNING } }).exec();

    for (;;) {
      const chunk = await this.rows
        .find({ importId: scope._id, row: { $gt: lastRow } })
        .sort({ row: 1 })
        .limit(IMPORT_CHUNK)
        .lean<LeadImportRow[]>()
        .exec();
      if (chunk.length === 0) break;
      const { written, errors } = await this.importChunk(record, mapping, chunk);
      const chunkEnd = chunk[chunk.length - 1].row;
      const current = await this.imports.findOne(scope, { rowErrors: 1 }).lean<LeadImport>().exec();
      const room = Math.max(0, MAX_REPORTED_ERRORS - (current?.rowErrors.length ?? 0));
      // The counts and the progress move together, and only from where this attempt started the
      // chunk: a retry after an attempt died having counted it (its write applied, the answer
      // lost) finds it counted and goes on after it, so no row is counted or reported twice.
      const counted = await this.imports
        .updateOne(
          legacy
            ? { ...scope, $or: [{ lastRow }, { lastRow: { $exists: false } }] }
            : { ...scope, lastRow },
          {
            $inc: { processedRows: chunk.length, importedRows: written, failedRows: errors.length },
            $set: { lastRow: chunkEnd },
            ...(room > 0 && errors.length > 0
              ? { $push: { rowErrors: { $each: errors.slice(0, room) } } }
              : {}),
          },
        )
        .exec();
      legacy = false;
      if (counted.matchedCount === 0) {
        // Another attempt (a worker presumed dead that was only slow) counted past `lastRow`.
        const now = await this.imports.findOne(scope, { lastRow: 1 }).lean<LeadImport>().exec();
        if (!now) throw new Error(`import ${importId} not found`);
        this.logger.warn({
          msg: 'lead import rows already counted by another attempt',
          importId,
          rows: `${chunk[0].row}-${chunkEnd}`,
          countedUpTo: now.lastRow,
        });
        lastRow = Math.max(lastRow, now.lastRow ?? chunkEnd);
      } else {
        lastRow = chunkEnd;
      }
      // For Bull's UI only (the record is the truth): a Redis hiccup here must not fail the job.
      await job.progress({ lastRow }).catch(() => undefined);
    }

    await this.rows.deleteMany({ importId: scope._id }).exec();
    const done = await this.imports
      .findOneAndUpdate(
        scope,
        { $set: { status: LeadImportStatus.COMPLETED, finishedAt: new Date() } },
        { returnDocument: 'after' },
      )
      .lean<LeadImport>()
      .exec();
    return { imported: done?.importedRows ?? 0, failed: done?.failedRows ?? 0 };
  }

  private async importChunk(
    record: LeadImport,
    mapping: ImportMapping,
    chunk: LeadImportRow[],
  ): Promise<{ written: number; errors: RowError[] }> {
    const tenantId = record.tenantId.toHexString();
    const header = record.header;
    const errors: RowError[] = [];
    const valid: {
      row: number;
      input: LeadInput;
      outcome?: { value: LeadOutcomeValue; at: Date; dated: boolean };
    }[] = [];
    const seen = new Map<string, number>();
    const latestOutcome = Date.now() + MAX_OUTCOME_AHEAD_MS;
    for (const staged of chunk) {
      if (staged.values.length !== header.length) {
        errors.push({
          row: staged.row,
          messages: [`has ${staged.values.length} columns, the header ${header.length}`],
        });
        continue;
      }
      const { outcome, ...mapped } = mapRow(mapping, header, staged.values, staged.row);
      // Before class-transformer, which throws on a `constructor` key (failing the whole job) and
      // drops a `__proto__` one unseen. Uploads are refused for such headers since they are
      // checked; imports staged before that still meet them here.
      const attributeProblems = findJsonProblems(mapped.attributes ?? {}, jsonInputLimits());
      if (attributeProblems.length > 0) {
        errors.push({
          row: staged.row,
          messages: [describeJsonProblems('attributes', attributeProblems)],
        });
        continue;
      }
      const input = plainToInstance(LeadInput, mapped);
      const problems = await validate(input, { whitelist: true, forbidNonWhitelisted: true });
      // Imported outcomes are dated at the upload unless the mapping names a date column.
      const at = outcome?.at === undefined ? record.createdAt : new Date(outcome.at);
      const outcomeProblem = !outcome
        ? null
        : Number.isNaN(at.getTime())
          ? `outcome date ${JSON.stringify(outcome.at)} is not a date`
          : at.getTime() > latestOutcome
            ? `outcome date ${outcome.at} is in the future`
            : null;
      if (problems.length > 0 || outcomeProblem) {
        errors.push({
          row: staged.row,
          messages: [
            ...flattenValidationErrors(problems).map((p) => `${p.path}: ${p.messages.join(', ')}`),
            ...(outcomeProblem ? [outcomeProblem] : []),
          ],
        });
        continue;
      }
      const earlier = seen.get(input.leadId);
      if (earlier !== undefined) {
        errors.push({
          row: staged.row,
          messages: [`leadId ${input.leadId} repeats row ${earlier}`],
        });
        continue;
      }
      seen.set(input.leadId, staged.row);
      valid.push({
        row: staged.row,
        input,
        ...(outcome
          ? { outcome: { value: outcome.outcome, at, dated: outcome.at !== undefined } }
          : {}),
      });
    }
    const badOwners = await this.leads.unknownOwners(
      tenantId,
      valid.map((v) => v.input),
    );
    const good = valid.filter((_, i) => !badOwners.has(i));
    valid.forEach((v, i) => {
      if (badOwners.has(i))
        errors.push({
          row: v.row,
          messages: ['ownerId: no active user with this id in your tenant'],
        });
    });
    let failed = 0;
    if (good.length > 0) {
      const importId = record._id.toHexString();
      const importedBy = record.requestedBy?.toHexString() ?? 'import';
      const closes = new Map<number, LeadClose>();
      good.forEach((g, i) => {
        if (g.outcome)
          closes.set(i, {
            id: importedOutcomeId(tenantId, importId, g.row),
            outcome: g.outcome.value,
            at: g.outcome.at,
            keepSame: !g.outcome.dated,
          });
      });
      const result = await this.leads.writeLeads(
        tenantId,
        good.map((g) => g.input),
        {
          closes,
          // The labels first, with the scores the leads show before this write rescores them
          // (what reps saw when the leads closed); current once their leads point at them.
          beforeClose: (closing) =>
            this.outcomes.recordImported({
              tenantId,
              importId,
              importedBy,
              outcomes: closing.map(({ index, ref, ownerId }) => {
                const close = closes.get(index)!;
                return {
                  id: close.id,
                  row: good[index].row,
                  leadRef: ref,
                  leadId: good[index].input.leadId,
                  ownerId,
                  outcome: close.outcome,
                  at: close.at,
                };
              }),
            }),
        },
      );
      for (const failure of result.failed) {
        errors.push({ row: good[failure.index].row, messages: [`not written: ${failure.reason}`] });
      }
      failed = result.failed.length;
      // The records' flags from the pointers the leads hold now (also those a dead attempt of this
      // chunk closed: its retry comes through here again).
      await this.outcomes.followPointers(
        tenantId,
        result.labelled.map(({ index, previous }) => ({
          ref: leadRefFor(tenantId, good[index].input.leadId),
          others: previous === undefined ? undefined : previous ? [previous] : [],
        })),
      );
    }
    errors.sort((a, b) => a.row - b.row);
    return { written: good.length - failed, errors };
  }

  @OnQueueFailed()
  async onFailed(job: Job<ImportLeadsJobData>, error: Error): Promise<void> {
    const final = isFinalFailure(job, error);
    this.logger.error({
      msg: 'lead import failed',
      importId: job.data.importId,
      final,
      error: error.message,
    });
    if (final) {
      await this.imports
        .updateOne(
          {
            _id: new Types.ObjectId(job.data.importId),
            tenantId: new Types.ObjectId(job.data.tenantId),
          },
          {
            $set: {
              status: LeadImportStatus.FAILED,
              failure: error.message,
              finishedAt: new Date(),
            },
          },
        )
        .exec();
    }
  }
}
