import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { TenantRepository, toObjectId } from '@/common/tenancy/tenant-repository';
import { concatTables, DatasetTable, sliceTable } from '@/ml/dataset/dataset-table.util';
import type { RawValue } from '@/ml/features/raw-features.util';

import { DatasetChunk, DatasetVersion } from './schemas/dataset-version.schema';

/**
 * Values per chunk document: 200,000 values of ~15–25 BSON bytes each is 3–5 MB, far below the
 * 16 MB limit, and few enough round trips (45,000 rows × 20 features: 5 chunks).
 */
const VALUES_PER_CHUNK = 200_000;
const MIN_ROWS_PER_CHUNK = 100;

/** A version's `_id` follows from its tenant and content: the same content meets the same version. */
export function datasetVersionIdFor(tenantId: string, contentHash: string): Types.ObjectId {
  return derivedObjectId('dataset-version', tenantId, contentHash);
}

function chunkIdFor(versionId: Types.ObjectId, index: number): Types.ObjectId {
  return derivedObjectId('dataset-chunk', versionId.toHexString(), String(index));
}

export function rowsPerChunk(columns: number): number {
  return Math.max(MIN_ROWS_PER_CHUNK, Math.floor(VALUES_PER_CHUNK / Math.max(1, columns + 3)));
}

/** The rows of dataset versions, column by column in chunks, written and read through the driver. */
@Injectable()
export class DatasetStore extends TenantRepository<DatasetChunk> {
  constructor(@InjectModel(DatasetChunk.name) model: Model<DatasetChunk>) {
    super(model);
  }

  /** Writes the table's chunks (idempotent: a retry rewrites the same ids); answers their count. */
  async writeRows(
    tenantId: string,
    versionId: Types.ObjectId,
    table: DatasetTable,
  ): Promise<number> {
    const size = rowsPerChunk(table.columns.length);
    const count = Math.ceil(table.leadIds.length / size);
    for (let index = 0; index < count; index++) {
      const part = sliceTable(
        table,
        index * size,
        Math.min(table.leadIds.length, (index + 1) * size),
      );
      const chunk: Omit<DatasetChunk, 'tenantId'> = {
        _id: chunkIdFor(versionId, index),
        versionId,
        index,
        start: index * size,
        leadIds: [...part.leadIds],
        labels: Array.from(part.labels),
        eventTimes: Array.from(part.eventTimes),
        columns: part.columns.map((column) => [...column.values]),
      };
      // One chunk a write: a bulk of several would be one message of up to ~20 MB.
      await this.bulkWriteStored(tenantId, [
        { replaceOne: { filter: { _id: chunk._id }, replacement: chunk, upsert: true } },
      ]);
    }
    return count;
  }

  /**
   * The version's rows chunk by chunk, in lead id order, one chunk read (by `_id`) at a time and
   * the event loop let run between two: for passes over a version that must not hold it whole.
   */
  async *readChunks(
    version: Pick<DatasetVersion, '_id' | 'tenantId' | 'chunkCount' | 'featureNames'>,
  ): AsyncGenerator<DatasetTable> {
    const tenantId = toObjectId(version.tenantId);
    for (let index = 0; index < version.chunkCount; index++) {
      const [chunk] = await this.findByIds(tenantId, [chunkIdFor(version._id, index)]);
      if (!chunk)
        throw new Error(
          `dataset version ${version._id.toHexString()} has no chunk ${index} of its ${version.chunkCount}`,
        );
      yield toTablePart(version.featureNames, chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The version's rows as one table, chunks read by `_id`. */
  async readTable(
    version: Pick<DatasetVersion, '_id' | 'tenantId' | 'chunkCount' | 'featureNames'>,
  ): Promise<DatasetTable> {
    const ids = Array.from({ length: version.chunkCount }, (_, i) => chunkIdFor(version._id, i));
    const chunks = await this.findByIds(toObjectId(version.tenantId), ids);
    if (chunks.length !== version.chunkCount)
      throw new Error(
        `dataset version ${version._id.toHexString()} has ${chunks.length} of its ${version.chunkCount} chunks`,
      );
    return concatTables(chunks.map((chunk) => toTablePart(version.featureNames, chunk)));
  }
}

function toTablePart(featureNames: readonly string[], chunk: DatasetChunk): DatasetTable {
  return {
    leadIds: chunk.leadIds,
    labels: Uint8Array.from(chunk.labels),
    eventTimes: Float64Array.from(chunk.eventTimes),
    columns: featureNames.map((name, j) => ({ name, values: chunk.columns[j] as RawValue[] })),
  };
}
