import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { TrainingJobsService } from './jobs/training-jobs.service';
import { TrainingJobsSweeper } from './jobs/training-jobs.sweeper';
import { TRAINING_QUEUE } from './jobs/training-queue.constants';
import { TrainingProcessor } from './jobs/training.processor';
import {
  TrainingJob,
  TrainingJobSchema,
  TrainingSettings,
  TrainingSettingsSchema,
} from './schemas/training-job.schema';
import { TrainingResolver } from './training.resolver';

/** Training jobs on the Bull queue `training`: fit, evaluate, register a model version. */
@Module({})
export class TrainingModule {
  static register({
    versions,
    mlModels,
    worker,
  }: {
    versions: DynamicModule;
    mlModels: DynamicModule;
    worker: boolean;
  }): DynamicModule {
    return {
      module: TrainingModule,
      imports: [
        versions,
        mlModels,
        MongooseModule.forFeature([
          { name: TrainingJob.name, schema: TrainingJobSchema },
          { name: TrainingSettings.name, schema: TrainingSettingsSchema },
        ]),
        BullModule.registerQueue({ name: TRAINING_QUEUE }),
      ],
      providers: [
        TrainingJobsService,
        TrainingResolver,
        ...(worker ? [TrainingProcessor, TrainingJobsSweeper] : []),
      ],
      exports: [TrainingJobsService],
    };
  }
}
