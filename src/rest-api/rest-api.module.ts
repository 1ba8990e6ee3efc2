import { DynamicModule, Module } from '@nestjs/common';

import { LeadScoresController } from './controllers/lead-scores.controller';
import { MlFeedbackController } from './controllers/ml-feedback.controller';
import { MlModelsController } from './controllers/ml-models.controller';
import { MlScoringController } from './controllers/ml-scoring.controller';
import { MlTrainingController } from './controllers/ml-training.controller';
import { LeadScoresService } from './lead-scores.service';

/**
 * REST API v1 (`/api/v1`) for systems that are not GraphQL clients: thin controllers over the
 * services the resolvers use, documented by OpenAPI (openapi/setup-openapi.ts). Only where this
 * process serves the API.
 */
@Module({})
export class RestApiModule {
  /** The app's one instance of each feature module the routes read through. */
  static register({
    api,
    leads,
    mlModels,
    training,
    ai,
    feedback,
  }: {
    api: boolean;
    leads: DynamicModule;
    mlModels: DynamicModule;
    training: DynamicModule;
    ai: DynamicModule;
    feedback: DynamicModule;
  }): DynamicModule {
    if (!api) return { module: RestApiModule };
    return {
      module: RestApiModule,
      imports: [leads, mlModels, training, ai, feedback],
      controllers: [
        MlScoringController,
        MlModelsController,
        MlTrainingController,
        MlFeedbackController,
        LeadScoresController,
      ],
      providers: [LeadScoresService],
    };
  }
}
