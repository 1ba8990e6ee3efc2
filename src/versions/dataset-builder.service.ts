import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';

import { toObjectId } from '@/common/tenancy/tenant-repository';
import { LeadClosingService } from '@/leads/lead-closing.service';
import { datasetContentHash } from '@/ml/dataset/content-hash.util';
import { DatasetRowInput, DatasetTable, tableFromRows } from '@/ml/dataset/dataset-table.util';
import { describeTable, FeatureStats } from '@/ml/dataset/feature-stats.util';
import {
  NormalizedTransformation,
  normalizeTransformation,
  validateTransformation,
} from '@/ml/transform/transformation.util';

import { DatasetStore, datasetVersionIdFor } from './dataset-store.service';
import { DatasetVersionsService } from './dataset-versions.service';
import { RowSample } from './row-sample.util';
import { DatasetBuildRequest, DatasetBuildStage } from './schemas/dataset-build.schema';
import { DatasetFilter, DatasetVersion } from './schemas/dataset-version.schema';
import { matchesSnapshotFilter, snapshotRow } from './snapshot-row.util';
import { MIN_SNAPSHOT_ROWS, VersionsException } from './versions.exception';

const noProgress = (): Promise<void> => Promise.resolve();
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface BuildProgress {
  readonly stage: DatasetBuildStage;
  readonly rowsRead: number;
}

/** A snapshot of closed leads, described and checked against a transformation. */
export interface DescribedSnapshot {
  readonly table: DatasetTable;
  readonly stats: FeatureStats[];
  readonly transformation: NormalizedTransformation;
}

/**
 * Builds dataset versions: reads the tenant's closed leads, turns each into a row through the
 * shared feature path, describes the table, hashes it with the transformation, and stores it
 * (rows first, the version last) unless the same content is stored already.
 */
@Injectable()
export class DatasetBuilder {
  constructor(
    private readonly leads: LeadClosingService,
    private readonly store: DatasetStore,
    private readonly versions: DatasetVersionsService,
  ) {}

  /** The closed leads matching `filter`, as a table (at least MIN_SNAPSHOT_ROWS rows). */
  async snapshot(
    tenantId: string,
    filter: DatasetFilter,
    onProgress: (progress: BuildProgress) => Promise<void> = noProgress,
  ): Promise<DatasetTable> {
    const rows: DatasetRowInput[] = [];
    let closed = 0;
    for await (const batch of this.leads.closedLeads(tenantId)) {
      closed += batch.length;
      for (const lead of batch)
        if (matchesSnapshotFilter(lead, filter)) rows.push(snapshotRow(lead));
      await onProgress({ stage: DatasetBuildStage.READING, rowsRead: closed });
    }
    if (rows.length < MIN_SNAPSHOT_ROWS)
      throw VersionsException.emptySnapshot({ found: rows.length, closed });
    return tableFromRows(rows);
  }

  /**
   * At most `maxRows` of the closed leads matching `filter` as a table: all of them up to that,
   * else a sample chosen by lead id hash (RowSample). The leads are streamed through the cursor
   * and the event loop runs between batches, so a big tenant costs bounded memory and never
   * holds the process; nothing is stored.
   */
  async sampleSnapshot(
    tenantId: string,
    filter: DatasetFilter,
    maxRows: number,
  ): Promise<DatasetTable> {
    const sample = new RowSample<DatasetRowInput>(maxRows);
    let closed = 0;
    for await (const batch of this.leads.closedLeads(tenantId)) {
      closed += batch.length;
      for (const lead of batch)
        if (matchesSnapshotFilter(lead, filter)) sample.offer(lead.leadId, () => snapshotRow(lead));
      await breathe();
    }
    if (sample.seen < MIN_SNAPSHOT_ROWS)
      throw VersionsException.emptySnapshot({ found: sample.seen, closed });
    return tableFromRows(sample.rows());
  }

  /** Describes the table and refuses a transformation that does not fit it, naming each field. */
  describe(
    table: DatasetTable,
    transformation: DatasetBuildRequest['transformation'],
    path: string,
  ): DescribedSnapshot {
    const stats = describeTable(table);
    const normalized = normalizeTransformation(transformation);
    const problems = validateTransformation(normalized, stats);
    if (problems.length > 0) throw VersionsException.badTransformation(problems, path);
    return { table, stats, transformation: normalized };
  }

  async build({
    tenantId,
    request,
    requestedBy,
    onProgress = noProgress,
  }: {
    tenantId: string;
    request: DatasetBuildRequest;
    requestedBy: string;
    onProgress?: (progress: BuildProgress) => Promise<void>;
  }): Promise<{ version: DatasetVersion; reused: boolean }> {
    const table = await this.snapshot(tenantId, request.filter, onProgress);
    await onProgress({ stage: DatasetBuildStage.DESCRIBING, rowsRead: table.leadIds.length });
    const { stats, transformation } = this.describe(
      table,
      request.transformation,
      'input.transformation',
    );
    const contentHash = datasetContentHash(table, transformation);
    const id = datasetVersionIdFor(tenantId, contentHash);
    const existing = await this.versions.findById(tenantId, id.toHexString());
    if (existing) return { version: await this.versions.restore(tenantId, existing), reused: true };

    const parentId = request.parentId
      ? new Types.ObjectId(request.parentId)
      : ((await this.versions.latest(tenantId))?._id ?? null);
    await onProgress({ stage: DatasetBuildStage.WRITING, rowsRead: table.leadIds.length });
    const chunkCount = await this.store.writeRows(tenantId, id, table);
    let converted = 0;
    let first = Infinity;
    let last = -Infinity;
    for (let i = 0; i < table.leadIds.length; i++) {
      converted += table.labels[i];
      first = Math.min(first, table.eventTimes[i]);
      last = Math.max(last, table.eventTimes[i]);
    }
    const version: DatasetVersion = {
      _id: id,
      tenantId: toObjectId(tenantId),
      name: request.name,
      contentHash,
      parentId,
      filter: request.filter,
      transformation,
      rowCount: table.leadIds.length,
      converted,
      lost: table.leadIds.length - converted,
      firstEventAt: new Date(first),
      lastEventAt: new Date(last),
      featureNames: table.columns.map((column) => column.name),
      featureStats: stats,
      chunkCount,
      createdBy: requestedBy,
      createdAt: new Date(),
      archivedAt: null,
      archivedBy: null,
      usedBy: [],
    };
    if (await this.versions.insert(version)) return { version, reused: false };
    return { version: await this.versions.get(tenantId, id.toHexString()), reused: true };
  }
}
