import { Args, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';
import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

import { ScoringConfigPreviewService } from './config-preview.service';
import { RescoreLeadsFilter } from './dto/rescore-leads.input';
import { ScoringConfigPreview } from './models/config-preview.model';
import { BatchScoringProgressEvent, ScoringJobsService } from './jobs/scoring-jobs.service';
import { toScoringJobView } from './jobs/scoring-job-view.util';
import { ScoringConfigModel, UpdateScoringConfigInput } from './models/scoring-config.model';
import { BatchScoringProgressModel, ScoringJobModel } from './models/scoring-events.model';
import { ScoreChangeReason } from './schemas/score-history.schema';
import { ScoringJob } from './schemas/scoring-job.schema';
import { ScoringConfigService, toScoringConfigModel } from './scoring-config.service';

const toJobModel = (job: ScoringJob): ScoringJobModel => toScoringJobView(job);

@Resolver()
export class ScoringResolver {
  constructor(
    private readonly configs: ScoringConfigService,
    private readonly jobs: ScoringJobsService,
    private readonly previews: ScoringConfigPreviewService,
  ) {}

  @Query(() => ScoringConfigModel, { description: "The tenant's current scoring configuration." })
  async scoringConfig(@CurrentUser() user: AuthUser): Promise<ScoringConfigModel> {
    return toScoringConfigModel(await this.configs.current(user.tenantId));
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Query(() => ScoringConfigPreview, {
    description:
      "The score distribution under proposed values before saving them: the tenant's leads scored by the weighted sum under the saved and the proposed configuration now (at most 50,000; `sampled` says when more exist). The same rules as updateScoringConfig; nothing is saved. A deployed trained model's scores are not the weighted sum's, but the thresholds apply to them too.",
  })
  async scoringConfigPreview(
    @CurrentUser() user: AuthUser,
    @Args('input') input: UpdateScoringConfigInput,
  ): Promise<ScoringConfigPreview> {
    return this.previews.preview(user.tenantId, input);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Mutation(() => ScoringConfigModel, {
    description: 'Saves a new version and starts a batch job that rescores every lead to it.',
  })
  async updateScoringConfig(
    @CurrentUser() user: AuthUser,
    @Args('input') input: UpdateScoringConfigInput,
  ): Promise<ScoringConfigModel> {
    const saved = await this.configs.update(user.tenantId, user.userId, input);
    await this.jobs.enqueueRescore({
      tenantId: user.tenantId,
      requestedBy: user.userId,
      reason: ScoreChangeReason.CONFIG_CHANGED,
      filter: {},
    });
    return toScoringConfigModel(saved);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Mutation(() => ScoringJobModel, {
    description: 'Starts a batch rescoring job on the `scoring` queue.',
  })
  async rescoreLeads(
    @CurrentUser() user: AuthUser,
    @Args('filter', { type: () => RescoreLeadsFilter, nullable: true }) filter?: RescoreLeadsFilter,
  ): Promise<ScoringJobModel> {
    const job = await this.jobs.enqueueRescore({
      tenantId: user.tenantId,
      requestedBy: user.userId,
      reason: ScoreChangeReason.BATCH_RESCORE,
      filter: { minScore: filter?.minScore, ownerId: filter?.ownerId, status: filter?.status },
    });
    return toJobModel(job);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Query(() => ScoringJobModel)
  async scoringJob(
    @CurrentUser() user: AuthUser,
    @Args('jobId', { type: () => ID }) jobId: string,
  ): Promise<ScoringJobModel> {
    return toJobModel(await this.jobs.get(user.tenantId, jobId));
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Query(() => [ScoringJobModel], {
    description: "The tenant's batch rescoring jobs, newest first.",
  })
  async scoringJobs(
    @CurrentUser() user: AuthUser,
    @Args('limit', { type: () => Int, defaultValue: 20, description: '1 to 100.' }) limit: number,
  ): Promise<ScoringJobModel[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new AppException(ErrorCode.BAD_USER_INPUT, 'limit must be 1 to 100', {
        fields: [{ path: 'limit', messages: ['must be 1 to 100'] }],
      });
    }
    const jobs = await this.jobs.find(
      user.tenantId,
      {},
      { sort: { createdAt: -1, _id: -1 }, limit },
    );
    return jobs.map(toJobModel);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Subscription(() => BatchScoringProgressModel, {
    description: 'Progress of a batch rescoring job of your tenant.',
    filter: (
      event: BatchScoringProgressEvent,
      args: { jobId: string },
      context: { req?: { user?: AuthUser } },
    ) => event.tenantId === context.req?.user?.tenantId && event.jobId === args.jobId,
    resolve: (event: BatchScoringProgressEvent): BatchScoringProgressModel => ({
      jobId: event.jobId,
      status: event.status,
      processed: event.processed,
      total: event.total,
      changed: event.changed,
    }),
  })
  batchScoringProgress(
    @Args('jobId', { type: () => ID }) _jobId: string,
  ): AsyncIterableIterator<BatchScoringProgressEvent> {
    return this.jobs.subscribeProgress();
  }
}
