import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { ColumnRole } from '@/ml/setup/column-role.util';

import { DatasetProfileStatus } from '../schemas/dataset-profile.schema';

export enum ColumnKind {
  LABEL = 'LABEL',
  FEATURE = 'FEATURE',
}

export enum AucMethod {
  RANK = 'RANK',
  LEVEL_RATE = 'LEVEL_RATE',
}

export enum AucOrientation {
  HIGHER_IS_POSITIVE = 'HIGHER_IS_POSITIVE',
  LOWER_IS_POSITIVE = 'LOWER_IS_POSITIVE',
}

export enum SetupFlagKind {
  POSSIBLE_LEAKAGE = 'POSSIBLE_LEAKAGE',
  PROPOSE_REMOVAL = 'PROPOSE_REMOVAL',
}

registerEnumType(ColumnRole, {
  name: 'ColumnRole',
  description:
    'What a column is for, guessed from its values: IDENTIFIER (unique per row), CONSTANT, FREE_TEXT (too many or too long values to be levels), DATE, NUMERIC, CATEGORICAL, LABEL (the outcome, or a copy of it).',
});
registerEnumType(ColumnKind, { name: 'ColumnKind' });
registerEnumType(AucMethod, {
  name: 'AucMethod',
  description:
    'RANK: the values as a score (numbers, dates); LEVEL_RATE: each level scored by its conversion rate on the training rows, measured on the held-out ones.',
});
registerEnumType(AucOrientation, { name: 'AucOrientation' });
registerEnumType(SetupFlagKind, { name: 'SetupFlagKind' });
registerEnumType(DatasetProfileStatus, {
  name: 'DatasetProfileStatus',
  description:
    'PENDING: queued for a worker (large versions); RUNNING; READY: profile and flags stored (a second call reads them); FAILED: with the error (asked again 30 s later, it is run again).',
});

@ObjectType('ColumnNumericProfile')
export class ColumnNumericProfileModel {
  @Field(() => Float)
  min!: number;

  @Field(() => Float)
  median!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => Float, { description: 'Population skewness; 0 for a constant.' })
  skewness!: number;
}

@ObjectType('ColumnProfile')
export class ColumnProfileModel {
  @Field(() => String)
  name!: string;

  @Field(() => ColumnKind, { description: 'LABEL: the outcome itself; FEATURE: a column.' })
  kind!: ColumnKind;

  @Field(() => ColumnRole)
  role!: ColumnRole;

  @Field(() => String, { description: 'Why this role, with the numbers.' })
  roleReason!: string;

  @Field(() => Float)
  missingShare!: number;

  @Field(() => Int, { description: 'Distinct present values on the profiled rows (capped).' })
  distinct!: number;

  @Field(() => Boolean)
  distinctCapped!: boolean;

  @Field(() => ColumnNumericProfileModel, { nullable: true })
  numeric!: ColumnNumericProfileModel | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The column alone as a score against the outcome, held-out AUC.',
  })
  singleFeatureAuc!: number | null;

  @Field(() => AucMethod, { nullable: true })
  aucMethod!: AucMethod | null;

  @Field(() => AucOrientation, { nullable: true, description: 'RANK only.' })
  orientation!: AucOrientation | null;

  @Field(() => Float, {
    nullable: true,
    description: "The quick model's AUC lost without it; null for a column not in the quick model.",
  })
  dropColumnImportance!: number | null;
}

@ObjectType('ProfileSplit')
export class ProfileSplitModel {
  @Field(() => String)
  method!: string;

  @Field(() => Int)
  trainRows!: number;

  @Field(() => Int)
  testRows!: number;

  @Field(() => String)
  reason!: string;
}

@ObjectType('QuickModel')
export class QuickModelModel {
  @Field(() => String)
  type!: string;

  @Field(() => [String], { description: 'The NUMERIC and CATEGORICAL columns.' })
  features!: string[];

  @Field(() => Float, { nullable: true, description: 'Held-out.' })
  auc!: number | null;
}

@ObjectType('DatasetProfile')
export class DatasetProfileModel {
  @Field(() => Int, { description: 'Rows of the version.' })
  rows!: number;

  @Field(() => Int, { description: 'Converted rows of the version.' })
  positives!: number;

  @Field(() => Int, { description: 'Rows profiled: a seeded sample past 20,000.' })
  sampleRows!: number;

  @Field(() => Boolean)
  sampled!: boolean;

  @Field(() => Int)
  seed!: number;

  @Field(() => ProfileSplitModel, { nullable: true })
  split!: ProfileSplitModel | null;

  @Field(() => QuickModelModel)
  quickModel!: QuickModelModel;

  @Field(() => [ColumnProfileModel], { description: 'The label first, then the columns.' })
  columns!: ColumnProfileModel[];

  @Field(() => [String])
  notes!: string[];
}

@ObjectType('LeakageEvidence')
export class LeakageEvidenceModel {
  @Field(() => Float, { nullable: true })
  singleFeatureAuc!: number | null;

  @Field(() => Float, { nullable: true })
  dropColumnImportance!: number | null;

  @Field(() => Float, { nullable: true })
  quickModelAuc!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "(singleFeatureAuc − 0.5) / (quickModelAuc − 0.5): its share of the model's lift.",
  })
  aloneShareOfLift!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'dropColumnImportance / (quickModelAuc − 0.5).',
  })
  dropShareOfLift!: number | null;
}

@ObjectType('SetupFlag', {
  description:
    'A column to look at before training; never dropped silently. POSSIBLE_LEAKAGE: "possible leakage — recorded after the outcome?"; PROPOSE_REMOVAL: identifiers and constants.',
})
export class SetupFlagModel {
  @Field(() => String)
  column!: string;

  @Field(() => SetupFlagKind)
  kind!: SetupFlagKind;

  @Field(() => String)
  message!: string;

  @Field(() => String, { description: 'Why, with the numbers.' })
  reason!: string;

  @Field(() => LeakageEvidenceModel, { nullable: true })
  evidence!: LeakageEvidenceModel | null;
}

@ObjectType('DatasetProfileResult')
export class DatasetProfileResultModel {
  @Field(() => ID)
  versionId!: string;

  @Field(() => DatasetProfileStatus)
  status!: DatasetProfileStatus;

  @Field(() => Boolean, {
    description: 'Profiled by a worker (the version is past the inline limit).',
  })
  queued!: boolean;

  @Field(() => DatasetProfileModel, { nullable: true, description: 'READY only.' })
  profile!: DatasetProfileModel | null;

  @Field(() => [SetupFlagModel], { description: 'The leakage screen; empty until READY.' })
  flags!: SetupFlagModel[];

  @Field(() => String, { nullable: true, description: 'FAILED only.' })
  error!: string | null;

  @Field(() => Int, { nullable: true, description: 'How long the profiling took.' })
  durationMs!: number | null;

  @Field(() => Date)
  requestedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}
