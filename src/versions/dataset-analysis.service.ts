import { Inject, Injectable } from '@nestjs/common';

import type { AuthUser } from '@/auth/auth-user';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import { compareDatasets, FeatureDrift } from '@/ml/dataset/compare-datasets.util';
import type { DatasetTable } from '@/ml/dataset/dataset-table.util';
import { FeatureType } from '@/ml/dataset/feature-stats.util';
import { fitTransformation, transformTable } from '@/ml/transform/transformation.util';

import { DatasetBuilder } from './dataset-builder.service';
import { DatasetStore } from './dataset-store.service';
import { DatasetVersionsService } from './dataset-versions.service';
import { CompareDatasetVersionsArgs, PreviewTransformationInput } from './dto/dataset.inputs';
import type {
  DatasetComparisonModel,
  FeatureDriftModel,
  TransformationPreviewModel,
} from './models/dataset.models';
import { rowAt, RowDiff, tableOfRows, VersionRow } from './row-diff.util';
import { RowSample, sharedBound } from './row-sample.util';
import type { DatasetBuildRequest } from './schemas/dataset-build.schema';
import type { DatasetVersion } from './schemas/dataset-version.schema';

/** Bins and categories listed per feature: a free-text column has one per row. */
const MAX_LISTED = 50;

/**
 * Comparing two versions, and previewing a transformation before anything is saved. Neither
 * holds a whole dataset: rows are streamed chunk by chunk (the event loop running between two),
 * and what needs rows in memory (types, PSI, fitting) works on at most
 * DATASET_ANALYSIS_SAMPLE_ROWS of them, a sample by lead id hash beyond that.
 */
@Injectable()
export class DatasetAnalysisService {
  constructor(
    private readonly versions: DatasetVersionsService,
    private readonly store: DatasetStore,
    private readonly builder: DatasetBuilder,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
  ) {}

  private get sampleRows(): number {
    return this.config.datasets.analysisSampleRows;
  }

  /**
   * Row counts, added / removed / changed and label rates over every row (one merge walk by lead
   * id through both versions' chunks); schema types and PSI on the samples of both, restricted
   * to the same leads.
   */
  async compare(
    tenantId: string,
    args: CompareDatasetVersionsArgs,
  ): Promise<DatasetComparisonModel> {
    // Both of the caller's tenant: a version of another is NOT_FOUND like an unknown one.
    const [a, b] = await Promise.all([
      this.versions.get(tenantId, args.a, 'a'),
      this.versions.get(tenantId, args.b, 'b'),
    ]);
    const walk = await this.walk(a, b);
    const bound = sharedBound(walk.a.sample.bound(), walk.b.sample.bound());
    walk.a.sample.restrict(bound);
    walk.b.sample.restrict(bound);
    const sampleA = tableOfRows(a.featureNames, walk.a.sample.rows());
    const sampleB = tableOfRows(b.featureNames, walk.b.sample.rows());
    const onSample = compareDatasets(sampleA, sampleB);
    const rows = walk.diff.result();
    const labelRateA = walk.a.labelRate();
    const labelRateB = walk.b.labelRate();
    return {
      a: args.a,
      b: args.b,
      rowsA: walk.a.rows,
      rowsB: walk.b.rows,
      ...rows,
      labelRateA,
      labelRateB,
      labelRateChange: labelRateB - labelRateA,
      schema: {
        added: [...onSample.schema.added],
        removed: [...onSample.schema.removed],
        retyped: [...onSample.schema.retyped],
      },
      features: onSample.features.map(listedDrift),
      sampledRowsA: sampleA.leadIds.length,
      sampledRowsB: sampleB.leadIds.length,
    };
  }

  /** Both versions' chunks in one merge walk by lead id, each row counted, matched and offered. */
  private async walk(
    a: DatasetVersion,
    b: DatasetVersion,
  ): Promise<{ a: ChunkCursor; b: ChunkCursor; diff: RowDiff }> {
    const cursorA = new ChunkCursor(this.store.readChunks(a), this.sampleRows);
    const cursorB = new ChunkCursor(this.store.readChunks(b), this.sampleRows);
    const diff = new RowDiff(a.featureNames, b.featureNames);
    for (;;) {
      const hasA = await cursorA.fill();
      const hasB = await cursorB.fill();
      if (!hasA && !hasB) break;
      // Within the chunks at hand; the next round reads the next chunk of whichever ran out.
      while (cursorA.left && cursorB.left) {
        const idA = cursorA.leadId;
        const idB = cursorB.leadId;
        if (idA < idB) {
          diff.removed(idA);
          cursorA.advance();
        } else if (idB < idA) {
          diff.added(idB);
          cursorB.advance();
        } else {
          diff.matched(cursorA.table!, cursorA.index, cursorB.table!, cursorB.index);
          cursorA.advance();
          cursorB.advance();
        }
      }
      for (; !hasB && cursorA.left; cursorA.advance()) diff.removed(cursorA.leadId);
      for (; !hasA && cursorB.left; cursorB.advance()) diff.added(cursorB.leadId);
    }
    return { a: cursorA, b: cursorB, diff };
  }

  async preview(
    user: AuthUser,
    input: PreviewTransformationInput,
  ): Promise<TransformationPreviewModel> {
    const transformation = (
      input.transformation ? JSON.parse(JSON.stringify(input.transformation)) : null
    ) as DatasetBuildRequest['transformation'];
    const table = input.datasetVersionId
      ? await this.sampleVersion(
          await this.versions.get(user.tenantId, input.datasetVersionId, 'input.datasetVersionId'),
        )
      : await this.builder.sampleSnapshot(
          user.tenantId,
          {
            ...(input.filter?.outcomeFrom ? { outcomeFrom: input.filter.outcomeFrom } : {}),
            ...(input.filter?.outcomeTo ? { outcomeTo: input.filter.outcomeTo } : {}),
            ...(input.filter?.ownerIds?.length ? { ownerIds: input.filter.ownerIds } : {}),
          },
          this.sampleRows,
        );
    const described = this.builder.describe(table, transformation, 'input.transformation');
    const fitted = fitTransformation(described.transformation, table);
    const shown = Array.from({ length: Math.min(input.rows, table.leadIds.length) }, (_, i) => i);
    const { matrix, cols } = transformTable(fitted, table, shown);
    return {
      inputFeatures: fitted.features.map((feature) => feature.name),
      outputFeatures: [...fitted.outputNames],
      rows: shown.map((row, i) => ({
        leadId: table.leadIds[row],
        label: table.labels[row],
        values: Array.from(matrix.subarray(i * cols, (i + 1) * cols)),
      })),
      warnings: [...fitted.warnings],
      fittedOn: table.leadIds.length,
      transformation: described.transformation,
    };
  }

  /** A version's rows, all of them up to the sample size, else a sample by lead id hash. */
  private async sampleVersion(version: DatasetVersion): Promise<DatasetTable> {
    const sample = new RowSample<VersionRow>(this.sampleRows);
    for await (const part of this.store.readChunks(version)) {
      for (let i = 0; i < part.leadIds.length; i++)
        sample.offer(part.leadIds[i], () => rowAt(part, i));
    }
    return tableOfRows(version.featureNames, sample.rows());
  }
}

/** A version's rows in lead id order across its chunks, each row counted and offered to a sample. */
class ChunkCursor {
  table: DatasetTable | null = null;
  index = 0;
  rows = 0;
  private converted = 0;
  private done = false;
  readonly sample: RowSample<VersionRow>;

  constructor(
    private readonly chunks: AsyncIterator<DatasetTable>,
    sampleRows: number,
  ) {
    this.sample = new RowSample<VersionRow>(sampleRows);
  }

  /** Reads chunks until one has a row left; false when the version has none left. */
  async fill(): Promise<boolean> {
    while (!this.left) {
      if (this.done) return false;
      const next = await this.chunks.next();
      if (next.done) {
        this.done = true;
        this.table = null;
        return false;
      }
      this.table = next.value;
      this.index = 0;
    }
    return true;
  }

  get left(): boolean {
    return this.table !== null && this.index < this.table.leadIds.length;
  }

  get leadId(): string {
    return this.table!.leadIds[this.index];
  }

  advance(): void {
    const table = this.table!;
    const i = this.index++;
    this.rows++;
    this.converted += table.labels[i];
    this.sample.offer(table.leadIds[i], () => rowAt(table, i));
  }

  labelRate(): number {
    return this.rows === 0 ? 0 : this.converted / this.rows;
  }
}

/** A feature's drift with its lists capped (free text would list every row). */
function listedDrift(drift: FeatureDrift): FeatureDriftModel {
  return {
    name: drift.name,
    type: drift.type,
    psi: drift.psi,
    bins: drift.type === FeatureType.TEXT ? [] : drift.bins.slice(0, MAX_LISTED),
    newCategories: drift.newCategories.slice(0, MAX_LISTED),
    vanishedCategories: drift.vanishedCategories.slice(0, MAX_LISTED),
    newCategoryCount: drift.newCategories.length,
    vanishedCategoryCount: drift.vanishedCategories.length,
    binCount: drift.bins.length,
  };
}
