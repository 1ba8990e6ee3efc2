import { Query, Resolver } from '@nestjs/graphql';

import { Public } from '@/auth/decorators/public.decorator';
import { SkipRateLimits } from '@/rate-limit/skip-rate-limits.decorator';

import { Health } from './health.model';
import { HealthService } from './health.service';

@Resolver(() => Health)
export class HealthResolver {
  constructor(private readonly healthService: HealthService) {}

  @Public()
  @SkipRateLimits()
  @Query(() => Health, { description: 'Health of the answering process and of its engines.' })
  health(): Promise<Health> {
    return this.healthService.check();
  }
}
