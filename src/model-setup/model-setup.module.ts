import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { AuditModule } from '@/audit/audit.module';

import { SetupAdviceClient } from './advice/setup-advice.client';
import { DatasetProfilesService } from './dataset-profiles.service';
import { DatasetProfileProcessor } from './jobs/dataset-profile.processor';
import { MODEL_SETUP_QUEUE } from './jobs/model-setup-queue.constants';
import { ModelSetupResolver } from './model-setup.resolver';
import { ModelSetupService } from './model-setup.service';
import { DatasetProfileRecord, DatasetProfileRecordSchema } from './schemas/dataset-profile.schema';
import { SetupAdvisor } from './setup-advisor.service';

/**
 * Guided model setup: each dataset version's profile and leakage screen (stored once computed;
 * large versions profiled on the Bull queue `model-setup`), a recommended transformation and
 * model (deterministic, and OpenAI's second opinion beside it), and the setup an admin applies.
 */
@Module({})
export class ModelSetupModule {
  static register({
    versions,
    worker,
  }: {
    versions: DynamicModule;
    worker: boolean;
  }): DynamicModule {
    return {
      module: ModelSetupModule,
      imports: [
        versions,
        AuditModule,
        MongooseModule.forFeature([
          { name: DatasetProfileRecord.name, schema: DatasetProfileRecordSchema },
        ]),
        BullModule.registerQueue({ name: MODEL_SETUP_QUEUE }),
      ],
      providers: [
        DatasetProfilesService,
        SetupAdviceClient,
        SetupAdvisor,
        ModelSetupService,
        ModelSetupResolver,
        ...(worker ? [DatasetProfileProcessor] : []),
      ],
    };
  }
}
