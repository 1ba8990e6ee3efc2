import { Public } from '@/auth/decorators/public.decorator';
import { SkipRateLimits } from '@/rate-limit/skip-rate-limits.decorator';
import { Controller, Get, Header } from '@nestjs/common';

import { MetricsService } from './metrics.service';

@Public()
@SkipRateLimits()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus text exposition format. */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  render(): Promise<string> {
    return this.metrics.render();
  }
}
