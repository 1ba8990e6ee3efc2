import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, Types } from 'mongoose';

import { pageInfo } from '@/common/graphql/page.args';
import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { TenantRepository, toObjectId } from '@/common/tenancy/tenant-repository';
import type { TrainedModel } from '@/ml/models/trained-model';
import { ServingModel, servingModel } from '@/ml/serve/score-with-model.util';
import type { TrainingOutcome } from '@/ml/train/train-pipeline.util';
import type {
  FittedTransformation,
  NormalizedTransformation,
} from '@/ml/transform/transformation.util';

import { MlModelsArgs } from './dto/ml-models.inputs';
import { MlModelsException } from './ml-models.exception';
import type { MlModelPageModel } from './models/ml-model.models';
import {
  MlModel,
  MlModelParamChunk,
  MlModelStatus,
  MlModelType,
  ModelDeployment,
  RunningAbTest,
  WEIGHTED_SUM_ID,
} from './schemas/ml-model.schema';
import { toMlModelModel } from './ml-model.mapper';

/** JSON text per parameter chunk: far below MongoDB's 16 MB document limit. */
const PARAM_CHUNK_CHARS = 4_000_000;

/** What a trained model's parameter chunks hold. */
interface StoredParameters {
  model: TrainedModel;
  fitted: FittedTransformation;
}

/** The `_id` of a model's parameter chunk `index` (in `mlModelParams`). */
function chunkIdFor(modelRef: Types.ObjectId, index: number): Types.ObjectId {
  return derivedObjectId('model-params', modelRef.toHexString(), String(index));
}

/** The tenant's deployment record's `_id`. */
export function deploymentIdFor(tenantId: string): Types.ObjectId {
  return derivedObjectId('model-deployment', tenantId);
}

/**
 * The model registry: every version of a tenant's scoring model, its parameters (chunked) and
 * metrics. Version 1 is the weighted sum, written the first time a tenant's registry is used.
 */
@Injectable()
export class MlModelsService extends TenantRepository<MlModel> {
  constructor(
    @InjectModel(MlModel.name) model: Model<MlModel>,
    @InjectModel(MlModelParamChunk.name) private readonly chunks: Model<MlModelParamChunk>,
    @InjectModel(ModelDeployment.name) private readonly deployments: Model<ModelDeployment>,
  ) {
    super(model);
  }

  /** The stored `_id` of a public model id (`weighted-sum` or a hex id); null if it cannot be one. */
  refOf(tenantId: string, modelId: string): Types.ObjectId | null {
    if (modelId === WEIGHTED_SUM_ID) return derivedObjectId('ml-model', tenantId, WEIGHTED_SUM_ID);
    return Types.ObjectId.isValid(modelId) && /^[0-9a-f]{24}$/i.test(modelId)
      ? new Types.ObjectId(modelId)
      : null;
  }

  /** The weighted sum's record (version 1), created on first use. */
  async ensureWeightedSum(tenantId: string): Promise<void> {
    const ref = this.refOf(tenantId, WEIGHTED_SUM_ID)!;
    await this.bulkWriteStored(tenantId, [
      {
        updateOne: {
          filter: { _id: ref },
          update: {
            $setOnInsert: {
              modelId: WEIGHTED_SUM_ID,
              version: 1,
              type: MlModelType.WEIGHTED_SUM,
              // Deployed until a trained model is: the deployment record says so from then on.
              status: MlModelStatus.DEPLOYED,
              params: {},
              transformation: null,
              datasetVersionId: null,
              trainingJobId: null,
              seed: null,
              metrics: null,
              split: null,
              featureImportance: [],
              notes: ['The deterministic weighted sum of engagement (DESIGN.md "Scoring").'],
              failure: null,
              paramChunks: 0,
              trainedBy: null,
              createdAt: new Date(0),
              trainedAt: null,
              deployedBy: null,
              deployedAt: null,
              retiredAt: null,
            },
          },
          upsert: true,
        },
      },
    ]);
  }

  async get(tenantId: string, modelId: string): Promise<MlModel> {
    const ref = this.refOf(tenantId, modelId);
    if (ref && modelId === WEIGHTED_SUM_ID) await this.ensureWeightedSum(tenantId);
    const found = ref ? await this.findById(tenantId, ref.toHexString()) : null;
    if (!found) throw MlModelsException.notFound(modelId);
    return found;
  }

  async list(tenantId: string, args: MlModelsArgs): Promise<MlModelPageModel> {
    await this.ensureWeightedSum(tenantId);
    const filter: QueryFilter<MlModel> = {};
    if (args.status) filter.status = args.status;
    if (args.type) filter.type = args.type;
    const { items, total } = await this.page(tenantId, filter, {
      sort: { version: -1 },
      page: args.page,
      limit: args.limit,
      projection: { 'metrics.roc': 0, 'metrics.calibration': 0 },
    });
    return { items: items.map(toMlModelModel), ...pageInfo(args, total) };
  }

  /** The tenant's deployment record (stack of deployed ids, revision), created on first use. */
  async deployment(tenantId: string): Promise<ModelDeployment> {
    return await this.deployments
      .findOneAndUpdate(
        { _id: deploymentIdFor(tenantId), tenantId: toObjectId(tenantId) },
        {
          $setOnInsert: {
            stack: [],
            revision: 0,
            lastTrainedVersion: 0,
            abTest: null,
            shadow: null,
          },
        },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<ModelDeployment>()
      .exec();
  }

  /** The public id of the model that scores the tenant now. */
  async deployedId(tenantId: string): Promise<string> {
    const record = await this.deployments
      .findOne({ _id: deploymentIdFor(tenantId), tenantId: toObjectId(tenantId) })
      .lean<ModelDeployment>()
      .exec();
    return record?.stack.at(-1) ?? WEIGHTED_SUM_ID;
  }

  /**
   * Moves the deployment from `revision` to `stack` (conditional: a concurrent deploy or rollback
   * wins and this answers false).
   */
  async moveDeployment(tenantId: string, revision: number, stack: string[]): Promise<boolean> {
    const moved = await this.deployments
      .updateOne(
        { _id: deploymentIdFor(tenantId), tenantId: toObjectId(tenantId), revision },
        { $set: { stack }, $inc: { revision: 1 } },
      )
      .exec();
    return moved.matchedCount === 1;
  }

  /**
   * Starts (`test`) or ends (null) the tenant's A/B test, conditionally: a start only when none
   * runs, an end only of the test named. Answers whether it took.
   */
  async setAbTest(
    tenantId: string,
    expected: string | null,
    test: RunningAbTest | null,
  ): Promise<boolean> {
    await this.deployment(tenantId);
    const moved = await this.deployments
      .updateOne(
        {
          _id: deploymentIdFor(tenantId),
          tenantId: toObjectId(tenantId),
          ...(expected === null ? { abTest: null } : { 'abTest.id': expected }),
        },
        { $set: { abTest: test } },
      )
      .exec();
    return moved.matchedCount === 1;
  }

  /** Sets (or, with null, ends) the tenant's shadow model. */
  async setShadow(
    tenantId: string,
    shadow: { modelId: string; since: Date } | null,
  ): Promise<void> {
    await this.deployment(tenantId);
    await this.deployments
      .updateOne(
        { _id: deploymentIdFor(tenantId), tenantId: toObjectId(tenantId) },
        { $set: { shadow } },
      )
      .exec();
  }

  /** The models whose record says DEPLOYED (one, unless a deploy was cut short). */
  async deployedRecords(tenantId: string): Promise<MlModel[]> {
    return this.find(
      tenantId,
      { status: MlModelStatus.DEPLOYED },
      { projection: { modelId: 1, status: 1, datasetVersionId: 1 } },
    );
  }

  /**
   * Marks a model DEPLOYED (with who and when) unless it already is; only a READY or RETIRED one
   * moves (never a TRAINING or FAILED one). Answers the record as it is after.
   */
  async markDeployed(tenantId: string, modelId: string, by: string): Promise<MlModel | null> {
    const ref = this.refOf(tenantId, modelId);
    if (!ref) return null;
    const moved = await this.updateOne(
      tenantId,
      { _id: ref, status: { $in: [MlModelStatus.READY, MlModelStatus.RETIRED] } },
      {
        $set: {
          status: MlModelStatus.DEPLOYED,
          deployedBy: by,
          deployedAt: new Date(),
          retiredAt: null,
        },
      },
    );
    return moved ?? this.findById(tenantId, ref.toHexString());
  }

  /** Marks a DEPLOYED model RETIRED (conditional: any other status stays). */
  async markRetired(tenantId: string, modelId: string): Promise<void> {
    const ref = this.refOf(tenantId, modelId);
    if (!ref) return;
    await this.updateOne(
      tenantId,
      { _id: ref, status: MlModelStatus.DEPLOYED },
      { $set: { status: MlModelStatus.RETIRED, retiredAt: new Date() } },
    );
  }

  /** The next version number of the tenant's models (2, 3, ...: 1 is the weighted sum). */
  private async nextVersion(tenantId: string): Promise<number> {
    const record = await this.deployments
      .findOneAndUpdate(
        { _id: deploymentIdFor(tenantId), tenantId: toObjectId(tenantId) },
        { $inc: { lastTrainedVersion: 1 } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<{ lastTrainedVersion: number }>()
      .exec();
    return 1 + record.lastTrainedVersion;
  }

  /** A new model version in TRAINING, for a training job about to fit it. */
  async registerTraining(input: {
    tenantId: string;
    type: MlModelType;
    params: Record<string, unknown>;
    transformation: NormalizedTransformation;
    datasetVersionId: Types.ObjectId;
    trainingJobId: Types.ObjectId;
    trainedBy: string;
    seed: number;
  }): Promise<MlModel> {
    await this.ensureWeightedSum(input.tenantId);
    const _id = new Types.ObjectId();
    return this.create(input.tenantId, {
      _id,
      modelId: _id.toHexString(),
      version: await this.nextVersion(input.tenantId),
      type: input.type,
      status: MlModelStatus.TRAINING,
      params: input.params,
      transformation: input.transformation,
      datasetVersionId: input.datasetVersionId,
      trainingJobId: input.trainingJobId,
      seed: input.seed,
      trainedBy: input.trainedBy,
      createdAt: new Date(),
    });
  }

  /** Stores the fitted model (parameters first, then the record says READY). */
  async complete(
    tenantId: string,
    ref: Types.ObjectId,
    outcome: TrainingOutcome,
  ): Promise<MlModel> {
    const stored: StoredParameters = { model: outcome.model, fitted: outcome.fitted };
    const text = JSON.stringify(stored);
    const count = Math.max(1, Math.ceil(text.length / PARAM_CHUNK_CHARS));
    const tenant = toObjectId(tenantId);
    for (let index = 0; index < count; index++) {
      // The whole shard key ({ tenantId, _id }): an upsert into a sharded collection needs it.
      await this.chunks.collection.replaceOne(
        { _id: chunkIdFor(ref, index), tenantId: tenant },
        {
          tenantId: tenant,
          modelRef: ref,
          index,
          text: text.slice(index * PARAM_CHUNK_CHARS, (index + 1) * PARAM_CHUNK_CHARS),
        },
        { upsert: true },
      );
    }
    // Only from TRAINING: a retried job that finishes again must not turn a model deployed (or
    // cancelled) meanwhile back into READY. Its parameter chunks are the same (deterministic fit).
    const done = await this.updateOne(
      tenantId,
      { _id: ref, status: MlModelStatus.TRAINING },
      {
        $set: {
          status: MlModelStatus.READY,
          paramChunks: count,
          metrics: outcome.metrics,
          split: outcome.split,
          featureImportance: outcome.importance.slice(0, 200),
          notes: [...outcome.notes],
          trainedAt: new Date(),
        },
      },
    );
    if (done) return done;
    const found = await this.findById(tenantId, ref.toHexString());
    if (!found) throw MlModelsException.notFound(ref.toHexString());
    return found;
  }

  /** A model still TRAINING becomes FAILED with the reason (a finished one keeps its status). */
  async fail(tenantId: string, ref: Types.ObjectId, reason: string): Promise<void> {
    await this.updateOne(
      tenantId,
      { _id: ref, status: MlModelStatus.TRAINING },
      { $set: { status: MlModelStatus.FAILED, failure: reason } },
    );
  }

  /** A trained model's parameters, ready to score. */
  async loadServing(tenantId: string, model: MlModel): Promise<ServingModel> {
    const tenant = toObjectId(tenantId);
    // One read per chunk by exactly { _id, tenantId }: sent to the one shard that holds it, and
    // served by the { tenantId, _id } index on every engine (mongo-java-server scans the whole
    // collection for an `$in` beside another field). A model has a chunk per 4 MB of parameters.
    const docs = await Promise.all(
      Array.from({ length: model.paramChunks }, (_, index) =>
        this.chunks
          .findOne({ _id: chunkIdFor(model._id, index), tenantId: tenant })
          .lean<MlModelParamChunk>()
          .exec(),
      ),
    );
    const texts = docs
      .filter((doc): doc is MlModelParamChunk => doc !== null)
      .sort((a, b) => a.index - b.index);
    if (texts.length !== model.paramChunks)
      throw new Error(
        `model ${model.modelId} has ${texts.length} of ${model.paramChunks} parameter chunks`,
      );
    const stored = JSON.parse(texts.map((doc) => doc.text).join('')) as StoredParameters;
    return servingModel(stored.model, stored.fitted);
  }
}
