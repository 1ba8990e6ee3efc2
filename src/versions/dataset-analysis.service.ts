import { Injectable } from '@nestjs/common';

import type { AuthUser } from '@/auth/auth-user';
import { compareDatasets, FeatureDrift } from '@/ml/dataset/compare-datasets.util';
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
import type { DatasetBuildRequest } from './schemas/dataset-build.schema';

/** Bins and categories listed per feature: a free-text column has one per row. */
const MAX_LISTED = 50;

/** Comparing two versions, and previewing a transformation before anything is saved. */
@Injectable()
export class DatasetAnalysisService {
  constructor(
    private readonly versions: DatasetVersionsService,
    private readonly store: DatasetStore,
    private readonly builder: DatasetBuilder,
  ) {}

  async compare(
    tenantId: string,
    args: CompareDatasetVersionsArgs,
  ): Promise<DatasetComparisonModel> {
    // Both of the caller's tenant: a version of another is NOT_FOUND like an unknown one.
    const [a, b] = await Promise.all([
      this.versions.get(tenantId, args.a, 'a'),
      this.versions.get(tenantId, args.b, 'b'),
    ]);
    const [tableA, tableB] = await Promise.all([this.store.readTable(a), this.store.readTable(b)]);
    const comparison = compareDatasets(tableA, tableB);
    return {
      a: args.a,
      b: args.b,
      ...comparison,
      sampleAdded: [...comparison.sampleAdded],
      sampleRemoved: [...comparison.sampleRemoved],
      sampleChanged: [...comparison.sampleChanged],
      schema: {
        added: [...comparison.schema.added],
        removed: [...comparison.schema.removed],
        retyped: [...comparison.schema.retyped],
      },
      features: comparison.features.map(listedDrift),
    };
  }

  async preview(
    user: AuthUser,
    input: PreviewTransformationInput,
  ): Promise<TransformationPreviewModel> {
    const transformation = (
      input.transformation ? JSON.parse(JSON.stringify(input.transformation)) : null
    ) as DatasetBuildRequest['transformation'];
    const table = input.datasetVersionId
      ? await this.store.readTable(
          await this.versions.get(user.tenantId, input.datasetVersionId, 'input.datasetVersionId'),
        )
      : await this.builder.snapshot(user.tenantId, {
          ...(input.filter?.outcomeFrom ? { outcomeFrom: input.filter.outcomeFrom } : {}),
          ...(input.filter?.outcomeTo ? { outcomeTo: input.filter.outcomeTo } : {}),
          ...(input.filter?.ownerIds?.length ? { ownerIds: input.filter.ownerIds } : {}),
        });
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
