import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import {
  TrainingJobIdArgs,
  TrainingJobsArgs,
  TrainingSettingsInput,
  TrainModelInput,
} from './dto/training.inputs';
import {
  toTrainingJobModel,
  TrainingJobsService,
  TrainingJobUpdatedEvent,
} from './jobs/training-jobs.service';
import {
  TrainingJobModel,
  TrainingJobPageModel,
  TrainingSettingsModel,
} from './models/training.models';

/** Training jobs: admins start and cancel them; managers follow them too. */
@Roles(Role.ADMIN, Role.MANAGER)
@Resolver()
export class TrainingResolver {
  constructor(private readonly jobs: TrainingJobsService) {}

  @Roles(Role.ADMIN)
  @Mutation(() => TrainingJobModel, {
    description:
      'Queues the training of a model on a dataset version and answers at once (status QUEUED); follow it with trainingJobUpdated or trainingJob.',
  })
  async trainModel(
    @CurrentUser() user: AuthUser,
    @Args('input') input: TrainModelInput,
  ): Promise<TrainingJobModel> {
    return toTrainingJobModel(await this.jobs.request(user, input));
  }

  @Roles(Role.ADMIN)
  @Mutation(() => TrainingJobModel, {
    description:
      'A queued job is dropped; a running fit stops at its next iteration (status CANCELLED).',
  })
  async cancelTrainingJob(
    @CurrentUser() user: AuthUser,
    @Args() args: TrainingJobIdArgs,
  ): Promise<TrainingJobModel> {
    return toTrainingJobModel(await this.jobs.cancel(user, args.id));
  }

  @Query(() => TrainingJobPageModel, { description: 'Newest first.' })
  trainingJobs(
    @CurrentUser() user: AuthUser,
    @Args() args: TrainingJobsArgs,
  ): Promise<TrainingJobPageModel> {
    return this.jobs.list(user.tenantId, args);
  }

  @Query(() => TrainingJobModel)
  async trainingJob(
    @CurrentUser() user: AuthUser,
    @Args() args: TrainingJobIdArgs,
  ): Promise<TrainingJobModel> {
    return toTrainingJobModel(await this.jobs.get(user.tenantId, args.id));
  }

  @Query(() => TrainingSettingsModel, {
    description: 'The minimum data a dataset version needs to train on.',
  })
  trainingSettings(@CurrentUser() user: AuthUser): Promise<TrainingSettingsModel> {
    return this.jobs.settingsOf(user.tenantId);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => TrainingSettingsModel)
  updateTrainingSettings(
    @CurrentUser() user: AuthUser,
    @Args('input') input: TrainingSettingsInput,
  ): Promise<TrainingSettingsModel> {
    return this.jobs.updateSettings(user, input);
  }

  @Subscription(() => TrainingJobModel, {
    description:
      'Stage and progress of a training job of your tenant (building features, fitting with the iteration, evaluating).',
    filter: (
      event: TrainingJobUpdatedEvent,
      args: { jobId: string },
      context: { req?: { user?: AuthUser } },
    ) => event.tenantId === context.req?.user?.tenantId && event.job.id === args.jobId,
    resolve: (event: TrainingJobUpdatedEvent): TrainingJobModel => ({
      ...event.job,
      createdAt: new Date(event.job.createdAt),
      startedAt: event.job.startedAt ? new Date(event.job.startedAt) : null,
      finishedAt: event.job.finishedAt ? new Date(event.job.finishedAt) : null,
    }),
  })
  trainingJobUpdated(
    @Args('jobId', { type: () => ID }) _jobId: string,
  ): AsyncIterableIterator<TrainingJobUpdatedEvent> {
    return this.jobs.subscribe();
  }
}
