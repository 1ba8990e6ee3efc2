import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Paginated } from '@/common/graphql/paginated.model';
import { FeatureType } from '@/ml/dataset/feature-stats.util';

import { DatasetBuildStage, DatasetBuildStatus } from '../schemas/dataset-build.schema';
import { NumericFillInput } from '../dto/dataset.inputs';

registerEnumType(FeatureType, {
  name: 'FeatureType',
  description: 'TEXT: strings mostly distinct (free text, identifiers), not used by models.',
});
registerEnumType(DatasetBuildStatus, { name: 'DatasetBuildStatus' });
registerEnumType(DatasetBuildStage, { name: 'DatasetBuildStage' });

@ObjectType('DatasetFilter')
export class DatasetFilterModel {
  @Field(() => Date, { nullable: true })
  outcomeFrom!: Date | null;

  @Field(() => Date, { nullable: true })
  outcomeTo!: Date | null;

  @Field(() => [ID], { nullable: true })
  ownerIds!: string[] | null;
}

@ObjectType('NumericTransformation')
export class NumericTransformationModel {
  @Field(() => NumericFillInput)
  fill!: string;

  @Field(() => Boolean)
  missingIndicator!: boolean;

  @Field(() => [String])
  log1p!: string[];

  @Field(() => Boolean)
  standardize!: boolean;
}

@ObjectType('CategoricalTransformation')
export class CategoricalTransformationModel {
  @Field(() => Int)
  minFrequency!: number;

  @Field(() => Int)
  maxLevels!: number;
}

@ObjectType('Transformation', { description: 'Every field filled in (defaults included).' })
export class TransformationModel {
  @Field(() => [String], { nullable: true, description: 'Null: every feature that is not TEXT.' })
  features!: string[] | null;

  @Field(() => [String])
  exclude!: string[];

  @Field(() => NumericTransformationModel)
  numeric!: NumericTransformationModel;

  @Field(() => CategoricalTransformationModel)
  categorical!: CategoricalTransformationModel;
}

@ObjectType('Quantile')
export class QuantileModel {
  @Field(() => Float)
  p!: number;

  @Field(() => Float)
  value!: number;
}

@ObjectType('NumericSummary')
export class NumericSummaryModel {
  @Field(() => Float)
  mean!: number;

  @Field(() => Float, { description: 'Population standard deviation.' })
  std!: number;

  @Field(() => Float)
  min!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => [QuantileModel], { description: 'At 0, 5, 25, 50, 75, 95 and 100 %.' })
  quantiles!: QuantileModel[];
}

@ObjectType('CategoryCount')
export class CategoryCountModel {
  @Field(() => String)
  value!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType('FeatureStats')
export class FeatureStatsModel {
  @Field(() => String)
  name!: string;

  @Field(() => FeatureType)
  type!: FeatureType;

  @Field(() => Int, { description: 'Rows.' })
  count!: number;

  @Field(() => Int)
  missing!: number;

  @Field(() => Float)
  missingShare!: number;

  @Field(() => Int, { description: 'Distinct values, missing not counted.' })
  distinct!: number;

  @Field(() => NumericSummaryModel, { nullable: true, description: 'NUMERIC features.' })
  numeric!: NumericSummaryModel | null;

  @Field(() => [CategoryCountModel], {
    nullable: true,
    description: 'The 20 most frequent values of other features.',
  })
  topCategories!: CategoryCountModel[] | null;
}

@ObjectType('DatasetUse', {
  description: 'Something that relies on the version (a deployed model).',
})
export class DatasetUseModel {
  @Field(() => String)
  kind!: string;

  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  since!: Date;
}

@ObjectType('DatasetVersion', {
  description: "An immutable snapshot of the tenant's closed leads as training rows.",
})
export class DatasetVersionModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'sha256 of the canonical rows and the transformation.' })
  contentHash!: string;

  @Field(() => ID, { nullable: true })
  parentId!: string | null;

  @Field(() => DatasetFilterModel)
  filter!: DatasetFilterModel;

  @Field(() => TransformationModel)
  transformation!: TransformationModel;

  @Field(() => Int)
  rowCount!: number;

  @Field(() => Int)
  converted!: number;

  @Field(() => Int)
  lost!: number;

  @Field(() => Float, { description: 'converted / rowCount.' })
  labelRate!: number;

  @Field(() => Date, { nullable: true, description: 'The earliest outcome time.' })
  firstEventAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'The latest outcome time.' })
  lastEventAt!: Date | null;

  @Field(() => [FeatureStatsModel])
  features!: FeatureStatsModel[];

  @Field(() => Int)
  chunkCount!: number;

  @Field(() => ID)
  createdBy!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  archivedAt!: Date | null;

  @Field(() => [DatasetUseModel])
  usedBy!: DatasetUseModel[];
}

@ObjectType('DatasetVersionPage')
export class DatasetVersionPageModel extends Paginated(DatasetVersionModel) {}

@ObjectType('FieldError')
export class FieldErrorModel {
  @Field(() => String)
  path!: string;

  @Field(() => [String])
  messages!: string[];
}

@ObjectType('DatasetBuildError')
export class DatasetBuildErrorModel {
  @Field(() => String, { description: 'The code the call would have answered with.' })
  code!: string;

  @Field(() => String)
  message!: string;

  @Field(() => [FieldErrorModel], { nullable: true })
  fields!: FieldErrorModel[] | null;
}

@ObjectType('DatasetVersionBuild', {
  description:
    'A createDatasetVersion call: COMPLETED at once for small tenants, else QUEUED and built by a job (poll datasetVersionBuild).',
})
export class DatasetBuildModel {
  @Field(() => ID)
  id!: string;

  @Field(() => DatasetBuildStatus)
  status!: DatasetBuildStatus;

  @Field(() => DatasetBuildStage)
  stage!: DatasetBuildStage;

  @Field(() => Int)
  rowsRead!: number;

  @Field(() => Int, { description: 'Closed leads when it was asked for.' })
  totalRows!: number;

  @Field(() => DatasetVersionModel, { nullable: true })
  version!: DatasetVersionModel | null;

  @Field(() => Boolean, {
    description: 'The same rows and transformation made a version before: that one is returned.',
  })
  reused!: boolean;

  @Field(() => DatasetBuildErrorModel, { nullable: true })
  error!: DatasetBuildErrorModel | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

@ObjectType('DatasetLineageNode')
export class DatasetLineageNodeModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ID, { nullable: true })
  parentId!: string | null;

  @Field(() => Int, {
    description: 'Steps from the version asked about: -1 its parent, 1 a child.',
  })
  depth!: number;

  @Field(() => Int)
  rowCount!: number;

  @Field(() => String)
  contentHash!: string;

  @Field(() => TransformationModel, { description: 'The transformation of this step.' })
  transformation!: TransformationModel;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Boolean)
  archived!: boolean;
}

@ObjectType('DatasetLineage')
export class DatasetLineageModel {
  @Field(() => DatasetLineageNodeModel)
  version!: DatasetLineageNodeModel;

  @Field(() => [DatasetLineageNodeModel], { description: 'Parent first, up to the root.' })
  ancestors!: DatasetLineageNodeModel[];

  @Field(() => [DatasetLineageNodeModel], { description: 'Children first (breadth-first).' })
  descendants!: DatasetLineageNodeModel[];
}

@ObjectType('FeatureTyped')
export class FeatureTypedModel {
  @Field(() => String)
  name!: string;

  @Field(() => FeatureType)
  type!: FeatureType;
}

@ObjectType('FeatureRetyped')
export class FeatureRetypedModel {
  @Field(() => String)
  name!: string;

  @Field(() => FeatureType)
  from!: FeatureType;

  @Field(() => FeatureType)
  to!: FeatureType;
}

@ObjectType('SchemaChanges')
export class SchemaChangesModel {
  @Field(() => [FeatureTypedModel])
  added!: FeatureTypedModel[];

  @Field(() => [FeatureTypedModel])
  removed!: FeatureTypedModel[];

  @Field(() => [FeatureRetypedModel])
  retyped!: FeatureRetypedModel[];
}

@ObjectType('PsiBin')
export class PsiBinModel {
  @Field(() => String)
  label!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Numeric bins: (lower, upper]; null is open.',
  })
  lower!: number | null;

  @Field(() => Float, { nullable: true })
  upper!: number | null;

  @Field(() => Float, { description: 'Share of version a.' })
  expectedShare!: number;

  @Field(() => Float, { description: 'Share of version b.' })
  actualShare!: number;
}

@ObjectType('FeatureDrift')
export class FeatureDriftModel {
  @Field(() => String)
  name!: string;

  @Field(() => FeatureType)
  type!: FeatureType;

  @Field(() => Float, {
    description:
      'Population stability index, a to b: below 0.1 stable, 0.1 to 0.25 moderate, above 0.25 a shift.',
  })
  psi!: number;

  @Field(() => [PsiBinModel], {
    description: 'The bins PSI was computed on (the first 50; none listed for TEXT features).',
  })
  bins!: PsiBinModel[];

  @Field(() => Int)
  binCount!: number;

  @Field(() => [String], { description: 'Categories of b unseen in a (the first 50).' })
  newCategories!: string[];

  @Field(() => Int)
  newCategoryCount!: number;

  @Field(() => [String], { description: 'Categories of a gone from b (the first 50).' })
  vanishedCategories!: string[];

  @Field(() => Int)
  vanishedCategoryCount!: number;
}

@ObjectType('DatasetComparison', {
  description: 'b compared with a (the baseline), rows matched by lead id.',
})
export class DatasetComparisonModel {
  @Field(() => ID)
  a!: string;

  @Field(() => ID)
  b!: string;

  @Field(() => Int)
  rowsA!: number;

  @Field(() => Int)
  rowsB!: number;

  @Field(() => Int, { description: 'Leads in b only.' })
  added!: number;

  @Field(() => Int, { description: 'Leads in a only.' })
  removed!: number;

  @Field(() => Int, {
    description: 'Leads in both with another label, outcome time or feature value.',
  })
  changed!: number;

  @Field(() => Int)
  unchanged!: number;

  @Field(() => [String], { description: 'Up to 20 lead ids.' })
  sampleAdded!: string[];

  @Field(() => [String])
  sampleRemoved!: string[];

  @Field(() => [String])
  sampleChanged!: string[];

  @Field(() => Float)
  labelRateA!: number;

  @Field(() => Float)
  labelRateB!: number;

  @Field(() => Float, { description: 'b − a.' })
  labelRateChange!: number;

  @Field(() => SchemaChangesModel)
  schema!: SchemaChangesModel;

  @Field(() => [FeatureDriftModel], {
    description:
      'Features in both, with PSI; like schema, computed on the rows sampled (sampledRowsA, sampledRowsB).',
  })
  features!: FeatureDriftModel[];

  @Field(() => Int, {
    description:
      'Rows of a that schema types and PSI were computed on: every row up to DATASET_ANALYSIS_SAMPLE_ROWS (10,000 by default), else a sample of that many by lead id hash, the same leads in a and b. Row counts, added, removed, changed and label rates always cover every row.',
  })
  sampledRowsA!: number;

  @Field(() => Int, { description: 'Rows of b sampled, as sampledRowsA.' })
  sampledRowsB!: number;
}

@ObjectType('TransformedRow')
export class TransformedRowModel {
  @Field(() => String)
  leadId!: string;

  @Field(() => Int, { description: '1 converted, 0 lost.' })
  label!: number;

  @Field(() => [Float], { description: 'In the order of outputFeatures.' })
  values!: number[];
}

@ObjectType('TransformationPreview')
export class TransformationPreviewModel {
  @Field(() => [String], { description: 'The raw features used.' })
  inputFeatures!: string[];

  @Field(() => [String], { description: 'The model inputs they become.' })
  outputFeatures!: string[];

  @Field(() => [TransformedRowModel])
  rows!: TransformedRowModel[];

  @Field(() => [String], { description: 'Constant or all-missing features and the like.' })
  warnings!: string[];

  @Field(() => Int, {
    description:
      'Rows the statistics (fill values, scaling, categories) were learnt on, the rows shown the first of them by lead id: every matching row up to DATASET_ANALYSIS_SAMPLE_ROWS (10,000 by default), else a sample of that many chosen by lead id hash.',
  })
  fittedOn!: number;

  @Field(() => TransformationModel)
  transformation!: TransformationModel;
}
