import { Injectable, Logger } from '@nestjs/common';

import { ScoringConfigService } from '@/scoring/scoring-config.service';
import { SuggestScoringWeightsInput } from './dto/suggest-scoring-weights.input';
import { ScoringWeightSuggestion } from './dto/weight-suggestion.model';
import { OutcomeExamplesReader } from './outcome-examples.reader';
import { suggestScoringWeights } from '@/scoring/weight-fit/suggest-scoring-weights.util';
import { toWeightSuggestionModel } from './weight-suggestion.mapper';

/**
 * Weights of the tenant's transparent score learnt from its outcomes, answered within the request:
 * reading 20,000 outcomes and fitting them takes a few seconds at most (measured: see the integration test), and
 * nothing is saved; a manager applies the patch through `updateScoringConfig`.
 */
@Injectable()
export class WeightSuggestionService {
  private readonly logger = new Logger(WeightSuggestionService.name);

  constructor(
    private readonly configs: ScoringConfigService,
    private readonly reader: OutcomeExamplesReader,
  ) {}

  async suggest(
    tenantId: string,
    input: SuggestScoringWeightsInput,
  ): Promise<ScoringWeightSuggestion> {
    const started = performance.now();
    const [config, read] = await Promise.all([
      this.configs.current(tenantId),
      this.reader.read(tenantId),
    ]);
    const fitStarted = performance.now();
    const result = suggestScoringWeights({
      outcomes: read.examples,
      config,
      options: { fitHalfLife: input.fitHalfLife ?? true },
    });
    const done = performance.now();
    this.logger.log({
      msg: 'scoring weights suggested',
      tenantId,
      status: result.status,
      outcomes: read.examples.length,
      capped: read.capped,
      readMs: Math.round(fitStarted - started),
      fitMs: Math.round(done - fitStarted),
    });
    return toWeightSuggestionModel(result, read);
  }
}
