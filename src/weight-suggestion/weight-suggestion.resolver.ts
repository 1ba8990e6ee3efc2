import { Args, Query, Resolver } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import { SuggestScoringWeightsInput } from './dto/suggest-scoring-weights.input';
import { ScoringWeightSuggestion } from './dto/weight-suggestion.model';
import { WeightSuggestionService } from './weight-suggestion.service';

@Resolver()
export class WeightSuggestionResolver {
  constructor(private readonly suggestions: WeightSuggestionService) {}

  @Roles(Role.ADMIN, Role.MANAGER)
  @Query(() => ScoringWeightSuggestion, {
    description:
      "Weights (and, unless fitHalfLife is false, the half-life) of the transparent score fitted to the tenant's outcomes (the newest 20,000; engagement as it was at each outcome), with the held-out AUC and score distribution of the current and the suggested configuration. Below 50 outcomes (10 of each class) it says how many more are needed. Apply `patch` with updateScoringConfig; nothing is saved here.",
  })
  async suggestScoringWeights(
    @CurrentUser() user: AuthUser,
    // Optional in the schema; the app's validation pipe makes an absent one an empty instance.
    @Args('input', { type: () => SuggestScoringWeightsInput, nullable: true })
    input: SuggestScoringWeightsInput,
  ): Promise<ScoringWeightSuggestion> {
    return this.suggestions.suggest(user.tenantId, input);
  }
}
