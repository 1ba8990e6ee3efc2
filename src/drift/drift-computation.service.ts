import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import { LeadClosingService } from '@/leads/lead-closing.service';
import {
  computeModelDrift,
  driftFeaturesOf,
  MIN_ROWS_TO_FLAG,
  ModelDriftResult,
} from '@/ml/drift/model-drift.util';
import { RawFeatures, rawFeaturesOf, RawValue } from '@/ml/features/raw-features.util';
import { modelLogit } from '@/ml/models/trained-model';
import { sigmoid } from '@/ml/models/model.types';
import type { ServingModel } from '@/ml/serve/score-with-model.util';
import { transformFeatures } from '@/ml/transform/transformation.util';
import { MlModelsService } from '@/ml-models/ml-models.service';
import type { MlModel } from '@/ml-models/schemas/ml-model.schema';
import { DatasetStore } from '@/versions/dataset-store.service';
import { DatasetVersionsService } from '@/versions/dataset-versions.service';
import { RowSample } from '@/versions/row-sample.util';
import type { DatasetVersion } from '@/versions/schemas/dataset-version.schema';

/** Rows scored between two turns of the event loop. */
const SCORE_BATCH = 1_000;
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A side's rows (values in the model's feature order) and how many there were before sampling. */
interface SampledRows {
  readonly rows: RawValue[][];
  readonly seen: number;
}

export interface ComputedDrift {
  readonly result: ModelDriftResult;
  readonly baselineRows: number;
  readonly versionRows: number;
  readonly currentRows: number;
  readonly openLeads: number;
  readonly notes: string[];
}

/**
 * What drift compares, read with bounded memory: the model's training version (chunk by chunk)
 * and the tenant's open leads (one cursor, the event loop running between batches), each cut to
 * DATASET_ANALYSIS_SAMPLE_ROWS by lead id hash; both through the model's raw features and scored
 * by the model on the serving path (`transformFeatures`, the model's logit).
 */
@Injectable()
export class DriftComputation {
  constructor(
    private readonly versions: DatasetVersionsService,
    private readonly store: DatasetStore,
    private readonly models: MlModelsService,
    private readonly leads: LeadClosingService,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
  ) {}

  private get sampleRows(): number {
    return this.config.datasets.analysisSampleRows;
  }

  /** `model` must be trained (parameters and a dataset version): the caller checks. */
  async compute({
    tenantId,
    model,
    threshold,
  }: {
    tenantId: string;
    model: MlModel;
    threshold: number;
  }): Promise<ComputedDrift> {
    const version = await this.versions.get(tenantId, model.datasetVersionId!.toHexString());
    const serving = await this.models.loadServing(tenantId, model);
    const features = driftFeaturesOf(serving.fitted);
    const names = features.map((feature) => feature.name);
    const baseline = await this.versionRows(version, names);
    const current = await this.openLeadRows(tenantId, names);
    const result = computeModelDrift({
      features,
      baseline: columnsOf(baseline.rows, names.length),
      current: columnsOf(current.rows, names.length),
      baselineScores: await scoresOf({ serving, names, rows: baseline.rows }),
      currentScores: await scoresOf({ serving, names, rows: current.rows }),
      threshold,
    });
    const notes: string[] = [];
    if (current.seen === 0) notes.push('no open leads: nothing to compare with');
    else if (!result.flaggable)
      notes.push(
        `${baseline.rows.length} training rows and ${current.rows.length} open leads: PSI is shown, but nothing is flagged with fewer than ${MIN_ROWS_TO_FLAG} on a side`,
      );
    if (current.rows.length < current.seen)
      notes.push(
        `open leads: a sample of ${current.rows.length} of ${current.seen} (by lead id hash)`,
      );
    if (baseline.rows.length < baseline.seen)
      notes.push(
        `training rows: a sample of ${baseline.rows.length} of ${baseline.seen} (by lead id hash)`,
      );
    return {
      result,
      baselineRows: baseline.rows.length,
      versionRows: baseline.seen,
      currentRows: current.rows.length,
      openLeads: current.seen,
      notes,
    };
  }

  /** The version's rows, the model's features only (one a version lacks is missing). */
  private async versionRows(
    version: DatasetVersion,
    names: readonly string[],
  ): Promise<SampledRows> {
    const at = names.map((name) => version.featureNames.indexOf(name));
    const sample = new RowSample<RawValue[]>(this.sampleRows);
    for await (const part of this.store.readChunks(version)) {
      for (let i = 0; i < part.leadIds.length; i++)
        sample.offer(part.leadIds[i], () =>
          at.map((j) => (j < 0 ? null : (part.columns[j].values[i] ?? null))),
        );
    }
    return { rows: sample.rows(), seen: sample.seen };
  }

  /** The open leads' raw features as of now, through the path that scores them live. */
  private async openLeadRows(tenantId: string, names: readonly string[]): Promise<SampledRows> {
    const now = new Date();
    const sample = new RowSample<RawValue[]>(this.sampleRows);
    for await (const batch of this.leads.openLeads(tenantId)) {
      for (const lead of batch)
        sample.offer(lead.leadId, () => {
          const raw = rawFeaturesOf(
            {
              emailOpens: lead.emailOpens ?? 0,
              websiteVisits: lead.websiteVisits ?? 0,
              timeSpentSeconds: lead.timeSpentSeconds ?? 0,
              lastActivityAt: lead.lastActivityAt ?? null,
              attributes: lead.attributes ?? {},
            },
            now,
          );
          return names.map((name) => (Object.hasOwn(raw, name) ? (raw[name] ?? null) : null));
        });
      await breathe();
    }
    return { rows: sample.rows(), seen: sample.seen };
  }
}

function columnsOf(rows: readonly (readonly RawValue[])[], width: number): RawValue[][] {
  return Array.from({ length: width }, (_, j) => rows.map((row) => row[j]));
}

/** round(100 × probability) of each row, as a live score is; the event loop runs between batches. */
async function scoresOf({
  serving,
  names,
  rows,
}: {
  serving: ServingModel;
  names: readonly string[];
  rows: readonly (readonly RawValue[])[];
}): Promise<number[]> {
  const vector = new Float64Array(serving.fitted.outputNames.length);
  const scores: number[] = [];
  for (let start = 0; start < rows.length; start += SCORE_BATCH) {
    for (const row of rows.slice(start, start + SCORE_BATCH)) {
      const raw: RawFeatures = Object.fromEntries(names.map((name, j) => [name, row[j]]));
      transformFeatures(serving.fitted, raw, vector);
      scores.push(Math.round(100 * sigmoid(modelLogit(serving.model, vector))));
    }
    await breathe();
  }
  return scores;
}
