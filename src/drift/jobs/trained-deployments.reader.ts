import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { ModelDeployment, WEIGHTED_SUM_ID } from '@/ml-models/schemas/ml-model.schema';

/**
 * Which tenants the daily sweep checks: those whose deployment stack has a trained model on top.
 * The one read of drift across tenants, so it lives apart: one small record per tenant
 * (`modelDeployments`), read through one driver cursor, projected to the stack.
 */
@Injectable()
export class TrainedDeploymentsReader {
  constructor(
    @InjectModel(ModelDeployment.name) private readonly deployments: Model<ModelDeployment>,
  ) {}

  async *tenantIds(): AsyncGenerator<string> {
    const cursor = this.deployments.collection.find(
      {},
      { projection: { tenantId: 1, stack: 1 }, batchSize: 1_000 },
    );
    for await (const doc of cursor) {
      const { tenantId, stack } = doc as unknown as { tenantId: Types.ObjectId; stack?: string[] };
      const top = stack?.at(-1);
      if (top && top !== WEIGHTED_SUM_ID) yield tenantId.toHexString();
    }
  }
}
