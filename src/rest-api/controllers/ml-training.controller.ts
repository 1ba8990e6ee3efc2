import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';
import { ApiErrorResponses } from '@/common/openapi/api-errors.decorator';
import { toTrainingJobModel, TrainingJobsService } from '@/training/jobs/training-jobs.service';

import { TrainingJobDto, TrainingJobIdParam, TrainModelBody } from '../dto/training.dto';
import { V1Controller } from '../v1-controller.decorator';

/** Training jobs: admins start them, managers follow them too (as GraphQL). */
@V1Controller('ml', 'ml')
export class MlTrainingController {
  constructor(private readonly jobs: TrainingJobsService) {}

  @Roles(Role.ADMIN)
  @Post('train-model')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queue the training of a model (admins)',
    description:
      'Checks the dataset version, the parameters and the minimum data, queues the job on the `training` queue and answers at once (status QUEUED), as GraphQL `trainModel`. Follow it with training-status; the model it registers is READY, not deployed.',
  })
  @ApiAcceptedResponse({ type: TrainingJobDto })
  @ApiErrorResponses(400, 403, 404, 413)
  async train(@CurrentUser() user: AuthUser, @Body() body: TrainModelBody) {
    return toTrainingJobModel(await this.jobs.request(user, body));
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Get('training-status/:jobId')
  @ApiOperation({
    summary: 'Stage and progress of a training job (managers and admins)',
    description:
      'QUEUED → ACTIVE (building features, fitting, evaluating, registering) → COMPLETED with `modelId`, FAILED with `failure`, or CANCELLED.',
  })
  @ApiOkResponse({ type: TrainingJobDto })
  @ApiErrorResponses(400, 403, 404)
  async status(@CurrentUser() user: AuthUser, @Param() { jobId }: TrainingJobIdParam) {
    return toTrainingJobModel(await this.jobs.get(user.tenantId, jobId));
  }
}
