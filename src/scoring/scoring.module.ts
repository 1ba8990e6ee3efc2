import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { AuditModule } from '@/audit/audit.module';

import { BatchScoringProcessor } from './jobs/batch-scoring.processor';
import { SCORING_QUEUE } from './jobs/scoring-queue.constants';
import { ScoringJobsService } from './jobs/scoring-jobs.service';
import { StaleScoresScheduler } from './jobs/stale-scores.scheduler';
import { LeadScoreEventsResolver } from './lead-score-events.resolver';
import { LeadScoreQueries } from './lead-score-queries.service';
import { ScoreWalks } from './score-walks.service';
import { ScoreWriteEffects } from './score-write-effects.service';
import { LeadScoringService } from './lead-scoring.service';
import { ScoreWrites } from './score-writes.repository';
import { OverrideAuditTrail } from './override/override-audit-trail';
import { ScoreOverrideExpiries } from './override/score-override-expiries';
import { ScoreOverrideService } from './override/score-override.service';
import { ScoreOverrideSweeper } from './override/score-override.sweeper';
import { RankingMembership } from './ranking/ranking-membership';
import { RankingRebuilds } from './ranking/ranking-rebuild';
import { ScoreRankingIndex } from './ranking/score-ranking.index';
import { LeadScore, LeadScoreSchema } from './schemas/lead-score.schema';
import { ScoreHistoryEntry, ScoreHistorySchema } from './schemas/score-history.schema';
import {
  ScoreOverrideExpiry,
  ScoreOverrideExpirySchema,
} from './schemas/score-override-expiry.schema';
import { ScoringConfig, ScoringConfigSchema } from './schemas/scoring-config.schema';
import { ScoringJob, ScoringJobSchema } from './schemas/scoring-job.schema';
import { ScoringConfigPreviewService } from './config-preview.service';
import { ScoringConfigService } from './scoring-config.service';
import { ScoringMetrics } from './scoring-metrics';
import { ScoringModelRegistry } from './scoring-model.registry';
import { ScoringResolver } from './scoring.resolver';

@Module({})
export class ScoringModule {
  /** Processors and the freshness schedule only where this process runs workers. */
  static register({ worker }: { worker: boolean }): DynamicModule {
    return {
      module: ScoringModule,
      imports: [
        AuditModule,
        BullModule.registerQueue({ name: SCORING_QUEUE }),
        MongooseModule.forFeature([
          { name: LeadScore.name, schema: LeadScoreSchema },
          { name: ScoreHistoryEntry.name, schema: ScoreHistorySchema },
          { name: ScoringConfig.name, schema: ScoringConfigSchema },
          { name: ScoringJob.name, schema: ScoringJobSchema },
          { name: ScoreOverrideExpiry.name, schema: ScoreOverrideExpirySchema },
        ]),
      ],
      providers: [
        LeadScoringService,
        ScoreWrites,
        ScoreWriteEffects,
        LeadScoreQueries,
        ScoreWalks,
        ScoringModelRegistry,
        ScoringMetrics,
        ScoreRankingIndex,
        RankingMembership,
        ScoringConfigService,
        ScoringConfigPreviewService,
        ScoringJobsService,
        ScoringResolver,
        LeadScoreEventsResolver,
        ScoreOverrideService,
        ScoreOverrideExpiries,
        OverrideAuditTrail,
        ...(worker
          ? [BatchScoringProcessor, RankingRebuilds, StaleScoresScheduler, ScoreOverrideSweeper]
          : []),
      ],
      exports: [
        LeadScoringService,
        ScoreOverrideService,
        LeadScoreQueries,
        ScoreWalks,
        ScoringConfigService,
        ScoringJobsService,
        ScoringModelRegistry,
        ScoringMetrics,
        RankingMembership,
      ],
    };
  }
}
