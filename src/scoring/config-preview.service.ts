import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { decodedFind } from '@/common/tenancy/decoded-find.util';

import { UpdateScoringConfigInput } from './models/scoring-config.model';
import { LeadScore } from './schemas/lead-score.schema';
import { ConfigPreview, previewConfig } from './scorer/config-preview.util';
import { Engagement } from './scorer/score-engagement.util';
import { ScoringConfigService, withChanges } from './scoring-config.service';

/**
 * At most this many leads are scored for one preview: beyond it the preview is of the first
 * leads read (said by `sampled`). Scoring is ~1 µs a lead twice; the bound is the read, which
 * streams the engagement fields only.
 */
export const PREVIEW_MAX_LEADS = 50_000;

export interface ScoringConfigPreview extends ConfigPreview {
  readonly sampled: boolean;
}

/** Scores the tenant's leads under the saved and a proposed configuration; saves nothing. */
@Injectable()
export class ScoringConfigPreviewService {
  constructor(
    @InjectModel(LeadScore.name) private readonly scores: Model<LeadScore>,
    private readonly configs: ScoringConfigService,
  ) {}

  async preview(
    tenantId: string,
    input: UpdateScoringConfigInput,
    now = new Date(),
  ): Promise<ScoringConfigPreview> {
    const current = await this.configs.current(tenantId);
    const proposed = withChanges(current, input);
    const engagements: Engagement[] = [];
    // The driver's cursor, not Mongoose documents: plain engagement fields, no casting per lead.
    const cursor = decodedFind<Record<string, unknown>>(
      this.scores.collection,
      { tenantId: new Types.ObjectId(tenantId) },
      {
        projection: { emailOpens: 1, websiteVisits: 1, timeSpentSeconds: 1, lastActivityAt: 1 },
        limit: PREVIEW_MAX_LEADS + 1,
        batchSize: 5_000,
      },
    );
    for await (const doc of cursor) {
      engagements.push({
        emailOpens: Number(doc.emailOpens ?? 0),
        websiteVisits: Number(doc.websiteVisits ?? 0),
        timeSpentSeconds: Number(doc.timeSpentSeconds ?? 0),
        lastActivityAt: doc.lastActivityAt instanceof Date ? doc.lastActivityAt : null,
      });
    }
    const sampled = engagements.length > PREVIEW_MAX_LEADS;
    if (sampled) engagements.length = PREVIEW_MAX_LEADS;
    return { ...previewConfig(engagements, current, proposed, now), sampled };
  }
}
