import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { DeployedModels } from './deployed-models.service';
import { MlModelsResolver } from './ml-models.resolver';
import { MlModelsService } from './ml-models.service';
import { ModelDeploymentService } from './model-deployment.service';
import {
  MlModel,
  MlModelParamChunk,
  MlModelParamChunkSchema,
  MlModelSchema,
  ModelDeployment,
  ModelDeploymentSchema,
} from './schemas/ml-model.schema';

/**
 * The model registry: every version of a tenant's scoring model, deploy and rollback, and the
 * deployed model scoring loads (plugged into the scoring module's ScoringModelRegistry).
 */
@Module({})
export class MlModelsModule {
  static register({
    leads,
    versions,
  }: {
    leads: DynamicModule;
    versions: DynamicModule;
  }): DynamicModule {
    return {
      module: MlModelsModule,
      imports: [
        leads,
        versions,
        MongooseModule.forFeature([
          { name: MlModel.name, schema: MlModelSchema },
          { name: MlModelParamChunk.name, schema: MlModelParamChunkSchema },
          { name: ModelDeployment.name, schema: ModelDeploymentSchema },
        ]),
      ],
      providers: [MlModelsService, DeployedModels, ModelDeploymentService, MlModelsResolver],
      exports: [MlModelsService, ModelDeploymentService],
    };
  }
}
