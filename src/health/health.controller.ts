import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';

import { Public } from '@/auth/decorators/public.decorator';
import { SkipRateLimits } from '@/rate-limit/skip-rate-limits.decorator';

import { Health, ServiceStatus } from './health.model';
import { HealthService } from './health.service';
import { AcceptingTrafficHealthIndicator } from './indicators/accepting-traffic.health';
import { EnginesHealthIndicator } from './indicators/engines.health';

/**
 * Three views of one process's health:
 * - `/health/live`: the process answers (an orchestrator restarts it when this fails). It does not
 *   look at the engines: an engine outage is not cured by restarting every replica.
 * - `/health/ready`: this replica should get traffic: it is not shutting down and each engine does
 *   a real write and read. 503 otherwise (Terminus' format, naming what is down).
 * - `/health`: the combined view for people (also the `health` GraphQL query).
 */
@Public()
@SkipRateLimits()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly terminus: HealthCheckService,
    private readonly engines: EnginesHealthIndicator,
    private readonly traffic: AcceptingTrafficHealthIndicator,
  ) {}

  /** 200 when every dependency answers, 503 otherwise (or while shutting down). */
  @Get()
  @ApiOperation({
    summary: 'MongoDB and Redis, each with a real write and read (no token)',
    description: 'The same as the GraphQL `health` query.',
  })
  @ApiOkResponse({ type: Health, description: 'Every dependency answers.' })
  @ApiServiceUnavailableResponse({
    type: Health,
    description: 'A dependency is down (DEGRADED) or the process is shutting down.',
  })
  async get(@Res({ passthrough: true }) res: Response): Promise<Health> {
    const health = await this.health.check();
    res.status(health.status === ServiceStatus.OK ? 200 : 503);
    return health;
  }

  // Terminus' @HealthCheck() also documents the answers of live and ready in OpenAPI.
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (engines are not looked at)' })
  live(): Promise<HealthCheckResult> {
    return this.terminus.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: not shutting down, and each engine did a write and a read',
  })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.terminus.check([
        () => this.traffic.check(),
        () => this.engines.check('mongo'),
        () => this.engines.check('redis'),
      ]);
    } catch (error) {
      // Terminus answers "not ready" by throwing its result; it is answered as is, not turned
      // into the API's error shape by the global filter.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
