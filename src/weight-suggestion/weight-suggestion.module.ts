import { DynamicModule, Module } from '@nestjs/common';

import { OutcomeExamplesReader } from './outcome-examples.reader';
import { WeightSuggestionResolver } from './weight-suggestion.resolver';
import { WeightSuggestionService } from './weight-suggestion.service';

/**
 * `suggestScoringWeights`: the transparent score's weights (and half-life) fitted to the tenant's
 * outcomes. Above leads (interactions, and scoring's config through it) and feedback (outcomes);
 * the fit itself is pure, in src/scoring/weight-fit/.
 */
@Module({})
export class WeightSuggestionModule {
  static register({
    leads,
    feedback,
  }: {
    leads: DynamicModule;
    feedback: DynamicModule;
  }): DynamicModule {
    return {
      module: WeightSuggestionModule,
      imports: [leads, feedback],
      providers: [OutcomeExamplesReader, WeightSuggestionService, WeightSuggestionResolver],
    };
  }
}
