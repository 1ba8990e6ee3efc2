import type { Readable } from 'node:stream';

import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { parse } from 'csv-parse';
import { Model, Types } from 'mongoose';

import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { flattenValidationErrors } from '@/common/validation/app-validation.pipe';
import { jsonInputLimits } from '@/common/validation/json-input-limits';

import { BadAttributeColumn, badAttributeColumns, missingColumns } from './csv-row.util';
import { ImportMapping } from './import-mapping';
import {
  IMPORT_LEADS_JOB,
  ImportLeadsJobData,
  IMPORTS_QUEUE,
  MAX_IMPORT_ROWS,
} from './lead-import.constants';
import { LeadImport, LeadImportRow, LeadImportStatus } from './lead-import.schema';

const STAGE_BATCH = 1000;

function badInput(message: string, path = 'mapping'): AppException {
  return new AppException(ErrorCode.BAD_USER_INPUT, message, {
    fields: [{ path, messages: [message] }],
  });
}

/** A header as quoted in a message: escaped (a NUL shows as \u0000), and never a page long. */
function quoteColumn(column: string): string {
  return JSON.stringify(column.length > 80 ? `${column.slice(0, 80)}…` : column);
}

function badAttributeNames(bad: readonly BadAttributeColumn[]): AppException {
  const named = bad.map(({ column, problem }) => `${quoteColumn(column)} (${problem})`);
  return new AppException(
    ErrorCode.BAD_USER_INPUT,
    `the CSV header has columns that cannot be attribute names: ${named.join(', ')}`,
    {
      fields: bad.map(({ index, column, problem }) => ({
        path: `header[${index}]`,
        messages: [`${quoteColumn(column)}: ${problem}`],
      })),
    },
  );
}

/** The upload side of CSV imports: parses the stream, stages its rows, queues the job. */
@Injectable()
export class LeadImportService extends TenantRepository<LeadImport> {
  constructor(
    @InjectModel(LeadImport.name) model: Model<LeadImport>,
    @InjectModel(LeadImportRow.name) private readonly rows: Model<LeadImportRow>,
    @InjectQueue(IMPORTS_QUEUE) private readonly queue: Queue,
  ) {
    super(model);
  }

  async parseMapping(raw: string | undefined): Promise<ImportMapping> {
    if (!raw) throw badInput('the mapping query parameter is required (JSON)');
    let plain: unknown;
    try {
      plain = JSON.parse(raw);
    } catch {
      throw badInput('mapping is not valid JSON');
    }
    if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
      throw badInput('mapping must be a JSON object');
    const mapping = plainToInstance(ImportMapping, plain);
    const errors = await validate(mapping, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      const fields = flattenValidationErrors(errors, 'mapping');
      throw new AppException(
        ErrorCode.BAD_USER_INPUT,
        `invalid mapping: ${fields.map((f) => `${f.path}: ${f.messages.join(', ')}`).join('; ')}`,
        { fields },
      );
    }
    if (!mapping.leadId && !mapping.leadIdPrefix)
      throw badInput('mapping needs leadId (a column) or leadIdPrefix');
    return mapping;
  }

  /** Streams the CSV into staging (a bad row is kept for the report, never stops the upload). */
  async stage({
    tenantId,
    userId,
    mapping,
    csv,
  }: {
    tenantId: string;
    userId: string;
    mapping: ImportMapping;
    csv: Readable;
  }): Promise<LeadImport> {
    const parser = csv.pipe(
      parse({
        delimiter: [',', ';', '\t'],
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
      }),
    );
    let record: LeadImport | undefined;
    let batch: {
      tenantId: Types.ObjectId;
      importId: Types.ObjectId;
      row: number;
      values: string[];
    }[] = [];
    let rowNumber = 0;
    try {
      for await (const values of parser as AsyncIterable<string[]>) {
        if (!record) {
          const missing = missingColumns(mapping, values);
          if (missing.length > 0)
            throw badInput(`the CSV header lacks mapped columns: ${missing.join(', ')}`);
          const bad = badAttributeColumns(mapping, values, jsonInputLimits());
          if (bad.length > 0) throw badAttributeNames(bad);
          record = await this.create(tenantId, {
            status: LeadImportStatus.QUEUED,
            mapping: { ...mapping },
            header: values,
            requestedBy: new Types.ObjectId(userId),
          });
          continue;
        }
        rowNumber += 1;
        if (rowNumber > MAX_IMPORT_ROWS)
          throw badInput(`a CSV import may hold at most ${MAX_IMPORT_ROWS} rows`, 'body');
        batch.push({
          tenantId: new Types.ObjectId(tenantId),
          importId: record._id,
          row: rowNumber,
          values,
        });
        if (batch.length >= STAGE_BATCH) {
          await this.rows.insertMany(batch, { ordered: false });
          batch = [];
        }
      }
      if (!record) throw badInput('the CSV is empty: a header row is needed', 'body');
      if (batch.length > 0) await this.rows.insertMany(batch, { ordered: false });
    } catch (error) {
      csv.resume();
      if (record) {
        await this.rows.deleteMany({ importId: record._id });
        await this.model.deleteOne({ _id: record._id });
      }
      if (error instanceof AppException) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw badInput(`the CSV could not be read: ${message}`, 'body');
    }
    const updated = await this.updateById(tenantId, record._id.toHexString(), {
      $set: { totalRows: rowNumber },
    });
    const data: ImportLeadsJobData = { tenantId, importId: record._id.toHexString() };
    await this.queue.add(IMPORT_LEADS_JOB, data, {
      jobId: data.importId,
      attempts: 3,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: 1_000,
    });
    return updated!;
  }

  async get(tenantId: string, id: string): Promise<LeadImport> {
    const found = await this.findById(tenantId, id);
    if (!found) throw new AppException(ErrorCode.NOT_FOUND, 'import not found');
    return found;
  }
}
