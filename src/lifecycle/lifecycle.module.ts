import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { AuditModule } from '@/audit/audit.module';
import { OutcomeRecord, OutcomeRecordSchema } from '@/feedback/schemas/outcome.schema';
import { LeadScore, LeadScoreSchema } from '@/scoring/schemas/lead-score.schema';

import { AbTest, AbTestSchema } from './ab-tests/ab-test.schema';
import { AbTestsResolver } from './ab-tests/ab-tests.resolver';
import { AbTestsService } from './ab-tests/ab-tests.service';
import { ShadowResolver } from './shadow/shadow.resolver';
import { ShadowService } from './shadow/shadow.service';
import { ChampionChallengerService } from './champion-challenger.service';
import { LIFECYCLE_QUEUE } from './jobs/lifecycle-queue.constants';
import { LifecycleProcessor } from './jobs/lifecycle.processor';
import { LifecycleResolver } from './lifecycle.resolver';
import { LifecycleScheduler } from './lifecycle-scheduler.service';
import { LifecycleSettingsService } from './lifecycle-settings.service';
import { RetrainingService } from './retraining.service';
import {
  ModelDecision,
  ModelDecisionSchema,
  ModelLifecycleSettings,
  ModelLifecycleSettingsSchema,
} from './schemas/model-lifecycle.schema';
import { TrainingReadinessService } from './training-readiness.service';

/**
 * The model lifecycle: per-tenant settings, scheduled and on-demand retraining with
 * champion/challenger decisions (Bull queue `lifecycle`), and training readiness.
 */
@Module({})
export class LifecycleModule {
  static register({
    leads,
    feedback,
    versions,
    mlModels,
    training,
    worker,
  }: {
    leads: DynamicModule;
    feedback: DynamicModule;
    versions: DynamicModule;
    mlModels: DynamicModule;
    training: DynamicModule;
    worker: boolean;
  }): DynamicModule {
    return {
      module: LifecycleModule,
      imports: [
        leads,
        feedback,
        versions,
        mlModels,
        training,
        AuditModule,
        MongooseModule.forFeature([
          { name: ModelLifecycleSettings.name, schema: ModelLifecycleSettingsSchema },
          { name: ModelDecision.name, schema: ModelDecisionSchema },
          { name: AbTest.name, schema: AbTestSchema },
          // Read by the A/B report through cursors (owned by scoring and feedback).
          { name: LeadScore.name, schema: LeadScoreSchema },
          { name: OutcomeRecord.name, schema: OutcomeRecordSchema },
        ]),
        BullModule.registerQueue({ name: LIFECYCLE_QUEUE }),
      ],
      providers: [
        LifecycleSettingsService,
        LifecycleScheduler,
        RetrainingService,
        ChampionChallengerService,
        TrainingReadinessService,
        LifecycleResolver,
        AbTestsService,
        AbTestsResolver,
        ShadowService,
        ShadowResolver,
        ...(worker ? [LifecycleProcessor] : []),
      ],
      exports: [LifecycleSettingsService, RetrainingService],
    };
  }
}
