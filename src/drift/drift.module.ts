import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { ModelDeployment, ModelDeploymentSchema } from '@/ml-models/schemas/ml-model.schema';

import { DriftComputation } from './drift-computation.service';
import { DriftMetrics } from './drift-metrics.service';
import { DriftReportsService } from './drift-reports.service';
import { DriftResolver } from './drift.resolver';
import { DriftJobsService } from './jobs/drift-jobs.service';
import { DRIFT_QUEUE } from './jobs/drift-queue.constants';
import { DriftProcessor } from './jobs/drift.processor';
import { TrainedDeploymentsReader } from './jobs/trained-deployments.reader';
import { ModelDriftService } from './model-drift.service';
import {
  DriftLatest,
  DriftLatestSchema,
  DriftReport,
  DriftReportSchema,
} from './schemas/drift-report.schema';

/**
 * Model drift: PSI per feature and of the score between a trained model's training version and
 * the tenant's open leads, stored as reports; a daily sweep on the workers (Bull queue `drift`)
 * checks every tenant with a trained model deployed, and a flagged drift is published, measured
 * and, if the tenant allows it, answered with a retraining.
 */
@Module({})
export class DriftModule {
  static register({
    leads,
    versions,
    mlModels,
    lifecycle,
    worker,
  }: {
    leads: DynamicModule;
    versions: DynamicModule;
    mlModels: DynamicModule;
    lifecycle: DynamicModule;
    worker: boolean;
  }): DynamicModule {
    return {
      module: DriftModule,
      imports: [
        leads,
        versions,
        mlModels,
        lifecycle,
        MongooseModule.forFeature([
          { name: DriftReport.name, schema: DriftReportSchema },
          { name: DriftLatest.name, schema: DriftLatestSchema },
          // The registry's own model (the same instance): the sweep's one read across tenants.
          { name: ModelDeployment.name, schema: ModelDeploymentSchema },
        ]),
        BullModule.registerQueue({ name: DRIFT_QUEUE }),
      ],
      providers: [
        DriftComputation,
        DriftReportsService,
        DriftMetrics,
        ModelDriftService,
        DriftJobsService,
        DriftResolver,
        ...(worker ? [DriftProcessor, TrainedDeploymentsReader] : []),
      ],
    };
  }
}
