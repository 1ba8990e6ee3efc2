import { Public } from '@/auth/decorators/public.decorator';
import { SkipRateLimits } from '@/rate-limit/skip-rate-limits.decorator';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';

import { MetricsService } from './metrics.service';

@Public()
@SkipRateLimits()
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus text exposition format. */
  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics of this process (no token)',
    description: 'Text exposition format 0.0.4; every series labelled `role` and `instance`.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    schema: {
      type: 'string',
      example: 'leadscoring_scores_computed_total{reason="INTERACTION"} 42',
    },
  })
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  render(): Promise<string> {
    return this.metrics.render();
  }
}
