import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { DatasetAnalysisService } from './dataset-analysis.service';
import { DatasetBuilder } from './dataset-builder.service';
import { DatasetStore } from './dataset-store.service';
import { DatasetVersionsService } from './dataset-versions.service';
import { DatasetBuildProcessor } from './jobs/dataset-build.processor';
import { DatasetBuildsService } from './jobs/dataset-builds.service';
import { DatasetBuildsSweeper } from './jobs/dataset-builds.sweeper';
import { DATASETS_QUEUE } from './jobs/dataset-queue.constants';
import { DatasetBuild, DatasetBuildSchema } from './schemas/dataset-build.schema';
import {
  DatasetChunk,
  DatasetChunkSchema,
  DatasetVersion,
  DatasetVersionSchema,
} from './schemas/dataset-version.schema';
import { VersionsResolver } from './versions.resolver';

/** Dataset versions: immutable, content-hashed snapshots of training data, their lineage and drift. */
@Module({})
export class VersionsModule {
  static register({ leads, worker }: { leads: DynamicModule; worker: boolean }): DynamicModule {
    return {
      module: VersionsModule,
      imports: [
        leads,
        MongooseModule.forFeature([
          { name: DatasetVersion.name, schema: DatasetVersionSchema },
          { name: DatasetChunk.name, schema: DatasetChunkSchema },
          { name: DatasetBuild.name, schema: DatasetBuildSchema },
        ]),
        BullModule.registerQueue({ name: DATASETS_QUEUE }),
      ],
      providers: [
        DatasetVersionsService,
        DatasetStore,
        DatasetBuilder,
        DatasetBuildsService,
        DatasetAnalysisService,
        VersionsResolver,
        ...(worker ? [DatasetBuildProcessor, DatasetBuildsSweeper] : []),
      ],
      // For the models that train on versions (and mark the one a deployed model uses).
      exports: [DatasetVersionsService, DatasetStore, DatasetBuilder],
    };
  }
}
