import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { TenantRepository, toObjectId } from '@/common/tenancy/tenant-repository';

import { DriftLatest, DriftReport } from './schemas/drift-report.schema';

function latestIdFor(tenantId: string, modelId: string): Types.ObjectId {
  return derivedObjectId('drift-latest', tenantId, modelId);
}

/**
 * Drift reports (one per check, never changed) and, per tenant and model, which is the latest.
 * Both read by `_id`: the latest record's is derived from the tenant and the model.
 */
@Injectable()
export class DriftReportsService extends TenantRepository<DriftReport> {
  constructor(
    @InjectModel(DriftReport.name) model: Model<DriftReport>,
    @InjectModel(DriftLatest.name) private readonly latestOnes: Model<DriftLatest>,
  ) {
    super(model);
  }

  /**
   * Stores the report, then points the model's latest at it. Of two checks at once the one that
   * finishes last is the latest: both are true reports of that moment.
   */
  async save(
    tenantId: string,
    report: Omit<DriftReport, '_id' | 'tenantId'>,
  ): Promise<DriftReport> {
    const saved = await this.create(tenantId, { ...report, _id: new Types.ObjectId() });
    await this.latestOnes
      .updateOne(
        // `{_id, tenantId}`: the filter the tenant key index serves on every engine.
        { _id: latestIdFor(tenantId, report.modelId), tenantId: toObjectId(tenantId) },
        {
          $set: { modelId: report.modelId, reportId: saved._id, computedAt: report.computedAt },
        },
        { upsert: true },
      )
      .exec();
    return saved;
  }

  async latest(tenantId: string, modelId: string): Promise<DriftReport | null> {
    const pointer = await this.latestOnes
      .findOne({ _id: latestIdFor(tenantId, modelId), tenantId: toObjectId(tenantId) })
      .lean<DriftLatest>()
      .exec();
    return pointer ? this.findById(tenantId, pointer.reportId.toHexString()) : null;
  }
}
