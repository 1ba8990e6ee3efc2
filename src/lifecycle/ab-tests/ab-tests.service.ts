import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import { EventBus } from '@/common/redis/event-bus.service';
import { decodedFind } from '@/common/tenancy/decoded-find.util';
import { TenantRepository, toObjectId } from '@/common/tenancy/tenant-repository';
import { OutcomeRecord } from '@/feedback/schemas/outcome.schema';
import { LeadOutcomeValue } from '@/leads/schemas/lead.schema';
import { AbReportBuilder } from '@/ml/lifecycle/ab-report.util';
import { MODEL_DEPLOYMENT_TOPIC, ModelDeploymentEvent } from '@/ml-models/deployed-models.service';
import { MlModelsService } from '@/ml-models/ml-models.service';
import { ModelDeploymentService } from '@/ml-models/model-deployment.service';
import { MlModelStatus } from '@/ml-models/schemas/ml-model.schema';
import { ScoringJobsService } from '@/scoring/jobs/scoring-jobs.service';
import { LeadScore } from '@/scoring/schemas/lead-score.schema';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { AbTest, AbTestStatus } from './ab-test.schema';
import type { AbTestModel, StartAbTestInput } from './ab-test.models';

const USABLE = new Set([MlModelStatus.READY, MlModelStatus.DEPLOYED, MlModelStatus.RETIRED]);
const BATCH = 5_000;
const breathe = () => new Promise((resolve) => setImmediate(resolve));

class AbTestException extends AppException {}

/**
 * A/B tests of two models: while one runs, each lead is scored by its arm's model (a stable hash
 * of the test and the lead), so the score a rep sees comes from the lead's arm; the report counts
 * the outcomes recorded during the test by arm and tier, with a two-proportion test. One test per
 * tenant at a time (the deployment record names it, set conditionally).
 */
@Injectable()
export class AbTestsService extends TenantRepository<AbTest> {
  constructor(
    @InjectModel(AbTest.name) model: Model<AbTest>,
    @InjectModel(LeadScore.name) private readonly scores: Model<LeadScore>,
    @InjectModel(OutcomeRecord.name) private readonly outcomes: Model<OutcomeRecord>,
    private readonly models: MlModelsService,
    private readonly deployment: ModelDeploymentService,
    private readonly scoringJobs: ScoringJobsService,
    private readonly events: EventBus,
  ) {
    super(model);
  }

  async start(user: AuthUser, input: StartAbTestInput): Promise<AbTestModel> {
    const { tenantId } = user;
    if (!(input.share > 0 && input.share < 1))
      throw invalid('input.share', 'must be strictly between 0 and 1');
    if (input.modelA === input.modelB)
      throw invalid('input.modelB', 'must be another model than modelA');
    for (const [path, id] of [
      ['input.modelA', input.modelA],
      ['input.modelB', input.modelB],
    ] as const) {
      const model = await this.models.get(tenantId, id);
      if (!USABLE.has(model.status))
        throw new AbTestException(
          ErrorCode.CONFLICT,
          `${path}: model ${id} is ${model.status}; an A/B test needs READY, DEPLOYED or RETIRED models`,
          { status: model.status },
        );
    }
    const running = (await this.models.deployment(tenantId)).abTest;
    if (running) throw alreadyRunning(running.id);
    const _id = new Types.ObjectId();
    const test = await this.create(tenantId, {
      _id,
      modelA: input.modelA,
      modelB: input.modelB,
      shareA: input.share,
      status: AbTestStatus.RUNNING,
      startedBy: user.userId,
      startedAt: new Date(),
    });
    const took = await this.models.setAbTest(tenantId, null, {
      id: _id.toHexString(),
      modelA: input.modelA,
      modelB: input.modelB,
      shareA: input.share,
    });
    if (!took) {
      await this.updateById(tenantId, _id.toHexString(), {
        $set: { status: AbTestStatus.STOPPED, stoppedAt: new Date(), stoppedBy: user.userId },
      });
      const other = (await this.models.deployment(tenantId)).abTest;
      throw alreadyRunning(other?.id ?? 'another');
    }
    const rescoreJobId = await this.switched(user, ScoreChangeReason.AB_TEST_STARTED);
    return this.report(tenantId, test, rescoreJobId);
  }

  /** Ends the test; with a winner, deploys its model (the ordinary deploy path). */
  async stop(user: AuthUser, id: string, winner?: 'A' | 'B'): Promise<AbTestModel> {
    const { tenantId } = user;
    const test = await this.get(tenantId, id);
    if (test.status !== AbTestStatus.RUNNING)
      throw new AbTestException(ErrorCode.CONFLICT, `A/B test ${id} has stopped already`);
    await this.models.setAbTest(tenantId, id, null);
    const winnerId = winner === 'A' ? test.modelA : winner === 'B' ? test.modelB : null;
    const stopped = (await this.updateById(tenantId, id, {
      $set: {
        status: AbTestStatus.STOPPED,
        stoppedAt: new Date(),
        stoppedBy: user.userId,
        winner: winnerId,
      },
    }))!;
    let rescoreJobId: string | null;
    const deployedId = await this.models.deployedId(tenantId);
    if (winnerId && winnerId !== deployedId) {
      rescoreJobId = (await this.deployment.deploy(user, winnerId)).rescoreJobId;
    } else {
      rescoreJobId = await this.switched(user, ScoreChangeReason.AB_TEST_STOPPED);
    }
    return this.report(tenantId, stopped, rescoreJobId);
  }

  async get(tenantId: string, id: string): Promise<AbTest> {
    const found = await this.findById(tenantId, id);
    if (!found) throw new AbTestException(ErrorCode.NOT_FOUND, `no A/B test ${id}`);
    return found;
  }

  /** The test with its arms counted now (leads and outcomes streamed, bounded memory). */
  async report(
    tenantId: string,
    test: AbTest,
    rescoreJobId: string | null = null,
  ): Promise<AbTestModel> {
    const builder = new AbReportBuilder(test._id.toHexString(), test.shareA);
    const tenant = toObjectId(tenantId);
    let seen = 0;
    for await (const doc of decodedFind<Record<string, unknown>>(
      this.scores.collection,
      { tenantId: tenant },
      { projection: { leadId: 1 }, batchSize: BATCH },
    )) {
      builder.addLead(doc.leadId as string);
      if (++seen % BATCH === 0) await breathe();
    }
    const during: Record<string, unknown> = { $gte: test.startedAt };
    if (test.stoppedAt) during.$lte = test.stoppedAt;
    for await (const doc of decodedFind<Record<string, unknown>>(
      this.outcomes.collection,
      { tenantId: tenant, current: true, at: during },
      { projection: { leadId: 1, outcome: 1, shown: 1 }, batchSize: BATCH },
    )) {
      const shown = doc.shown as { tier?: string } | null;
      builder.addOutcome(
        doc.leadId as string,
        doc.outcome === LeadOutcomeValue.CONVERTED,
        shown?.tier ?? null,
      );
      if (++seen % BATCH === 0) await breathe();
    }
    const { arms, significance } = builder.result();
    return {
      id: test._id.toHexString(),
      status: test.status,
      modelA: test.modelA,
      modelB: test.modelB,
      shareA: test.shareA,
      startedBy: test.startedBy,
      startedAt: test.startedAt,
      stoppedAt: test.stoppedAt,
      winner: test.winner,
      arms: arms.map((arm) => ({
        ...arm,
        modelId: arm.arm === 'A' ? test.modelA : test.modelB,
        byTier: arm.byTier.map((tier) => ({ ...tier })),
      })),
      significance: { ...significance },
      rescoreJobId,
    };
  }

  /** Every process drops its cached model; the tenant's leads are rescored by their arm (or not). */
  private async switched(user: AuthUser, reason: ScoreChangeReason): Promise<string> {
    const { tenantId } = user;
    await this.events.publish<ModelDeploymentEvent>(MODEL_DEPLOYMENT_TOPIC, {
      tenantId,
      modelId: await this.models.deployedId(tenantId),
    });
    const job = await this.scoringJobs.enqueueRescore({
      tenantId,
      requestedBy: user.userId,
      reason,
      filter: {},
    });
    return job._id.toHexString();
  }
}

function invalid(path: string, message: string): AbTestException {
  return new AbTestException(ErrorCode.BAD_USER_INPUT, `invalid input: ${path}: ${message}`, {
    fields: [{ path, messages: [message] }],
  });
}

function alreadyRunning(id: string): AbTestException {
  return new AbTestException(
    ErrorCode.CONFLICT,
    `an A/B test is running already (${id}); one per tenant at a time`,
    { abTestId: id },
  );
}
