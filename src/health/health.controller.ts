import { Public } from '@/auth/decorators/public.decorator';
import { SkipRateLimits } from '@/rate-limit/skip-rate-limits.decorator';
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Health, ServiceStatus } from './health.model';
import { HealthService } from './health.service';

@Public()
@SkipRateLimits()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when every dependency answers, 503 otherwise (or while shutting down). */
  @Get()
  async get(@Res({ passthrough: true }) res: Response): Promise<Health> {
    const health = await this.health.check();
    res.status(health.status === ServiceStatus.OK ? 200 : 503);
    return health;
  }
}
