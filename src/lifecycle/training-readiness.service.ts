import { Injectable } from '@nestjs/common';

import { OutcomesService } from '@/feedback/outcomes.service';
import { LeadOutcomeValue } from '@/leads/schemas/lead.schema';
import { MlModelsService } from '@/ml-models/ml-models.service';
import { TrainingJobsService } from '@/training/jobs/training-jobs.service';

import type { TrainingReadinessModel } from './models/lifecycle.models';

/** The cold start, told plainly: how much labelled data the tenant has, and what scores meanwhile. */
@Injectable()
export class TrainingReadinessService {
  constructor(
    private readonly outcomes: OutcomesService,
    private readonly training: TrainingJobsService,
    private readonly models: MlModelsService,
  ) {}

  async of(tenantId: string): Promise<TrainingReadinessModel> {
    const [converted, lost, minimum, deployedId] = await Promise.all([
      this.outcomes.count(tenantId, { current: true, outcome: LeadOutcomeValue.CONVERTED }),
      this.outcomes.count(tenantId, { current: true, outcome: LeadOutcomeValue.LOST }),
      this.training.minimum(tenantId),
      this.models.deployedId(tenantId),
    ]);
    const deployed = await this.models.get(tenantId, deployedId);
    const neededConverted = Math.max(0, minimum.minConverted - converted);
    const neededLost = Math.max(0, minimum.minLost - lost);
    return {
      converted,
      lost,
      ...minimum,
      neededConverted,
      neededLost,
      ready: neededConverted === 0 && neededLost === 0,
      deployedModelId: deployed.modelId,
      deployedModelType: deployed.type,
      deployedModelVersion: deployed.version,
    };
  }
}
