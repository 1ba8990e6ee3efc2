import { Inject, Injectable, Logger } from '@nestjs/common';
import { Types } from 'mongoose';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { LeadSnapshot } from './lead-score.types';
import { OverrideAuditTrail } from './override/override-audit-trail';
import type { OverrideAction } from './override/score-override.util';
import { LeadScore } from './schemas/lead-score.schema';
import { ScoreChangeReason } from './schemas/score-history.schema';
import { ScoreWriteEffects } from './score-write-effects.service';
import { ScoreWrites } from './score-writes.repository';
import {
  copiedAttributes,
  buildScoreWrite,
  PREVIOUS_PROJECTION,
  PreviousScore,
  ScoreWrite,
  keepsLeadCopy,
  ScoreFieldsUpdate,
  scoreFieldsUpdate,
} from './score-write.util';
import { EffectiveScoringConfig, ScoringConfigService } from './scoring-config.service';
import { ScoringMetrics } from './scoring-metrics';
import {
  AbModelChoice,
  choiceForLead,
  ScoringModelChoice,
  ScoringModelRegistry,
  SingleModelChoice,
} from './scoring-model.registry';
import { ScoringException } from './scoring.exception';

/** A stored score as rescoring reads it: everything but what it recomputes. */
export type StoredScore = Omit<LeadScore, 'breakdown' | 'searchText'>;

export interface ScoringOutcome {
  readonly scored: number;
  readonly changed: number;
}

/** Rounds of conditional writes and re-reads before lost races are given up (and logged). */
const MAX_WRITE_ATTEMPTS = 5;

/**
 * Scores leads and writes `leadScores` (the ranked read model), then has ScoreWriteEffects bring
 * the ranking index, `scoreHistory` and the `leadScoreChanged` events in step (reads:
 * LeadScoreQueries). Every write path (interactions, lead updates, config changes, batch jobs,
 * freshness) goes through `scoreSnapshots`.
 */
@Injectable()
export class LeadScoringService {
  private readonly logger = new Logger(LeadScoringService.name);

  constructor(
    private readonly writes: ScoreWrites,
    private readonly configs: ScoringConfigService,
    private readonly effects: ScoreWriteEffects,
    private readonly models: ScoringModelRegistry,
    private readonly metrics: ScoringMetrics,
    private readonly overrideTrail: OverrideAuditTrail,
    @Inject(APP_CONFIG) private readonly appConfig: ConnectedAppConfig,
  ) {}

  async scoreSnapshots(
    tenantId: string,
    snapshots: readonly LeadSnapshot[],
    reason: ScoreChangeReason,
    options: {
      config?: EffectiveScoringConfig;
      model?: ScoringModelChoice;
      now?: Date;
      previous?: readonly PreviousScore[];
      /** Sets or clears the leads' override (ScoreOverrideService), by `actorId`. */
      override?: OverrideAction;
      actorId?: string;
      /**
       * The snapshots are the stored scores' own copies of their leads (`rescoreStored`): a score
       * found stored is updated in its score-owned fields only, those that changed
       * (scoreFieldsUpdate). `previous` then holds the stored scores as read whole or with
       * RESCORING_READ (and scores read again after a lost race are read whole).
       */
      inPlace?: boolean;
    } = {},
  ): Promise<ScoringOutcome> {
    if (snapshots.length === 0) return { scored: 0, changed: 0 };
    // An update in place leaves out the fields equal to the stored score's: it must have read them
    // all (whole or RESCORING_READ), which PREVIOUS_PROJECTION does not.
    if (options.inPlace && !options.previous)
      throw new Error('scoreSnapshots: inPlace comes with the stored scores (previous)');
    const chosen = options.model ?? (await this.models.current(tenantId));
    if (chosen.kind === 'AB')
      return this.perArm(chosen, snapshots, (arm, part) =>
        this.scoreSnapshots(tenantId, part, reason, {
          ...options,
          model: { ...arm, shadow: chosen.shadow },
          previous: options.previous && previousOf(options.previous, part),
        }),
      );
    const model = chosen;
    const stopTimer = this.metrics.duration.startTimer({ reason });
    const now = options.now ?? new Date();
    const tenant = new Types.ObjectId(tenantId);
    let pending = snapshots;
    let previousDocs =
      options.previous ??
      (await this.metrics.timed('read_previous', () =>
        this.writes.readScores(tenantId, pending, PREVIOUS_PROJECTION),
      ));
    let config = options.config ?? (await this.liveConfig(tenantId, pending, previousDocs));
    const shadow = chosen.shadow;
    if (model.kind === 'TRAINED' || shadow?.kind === 'TRAINED')
      pending = await this.metrics.timed('read_attributes', () =>
        this.withAttributes(tenantId, pending, previousDocs),
      );
    const won: ScoreWrite[] = [];
    let unwritten = 0;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const computing = performance.now();
      const previous = new Map(previousDocs.map((doc) => [doc.leadRef.toHexString(), doc]));
      const writes: ScoreWrite[] = [];
      const inPlace = new Map<ScoreWrite, ScoreFieldsUpdate>();
      for (const snapshot of pending) {
        const before = previous.get(snapshot.leadRef.toHexString());
        // A score from a newer version of the lead is stored already: this snapshot is stale.
        if (before && before.leadVersion > snapshot.version) continue;
        const write = buildScoreWrite({
          tenantId: tenant,
          snapshot,
          before,
          config,
          model,
          shadow,
          reason,
          now,
          override: options.override,
          trendWindowDays: this.appConfig.scoring.trendWindowDays,
        });
        writes.push(write);
        if (options.inPlace && before && keepsLeadCopy(before, write.doc))
          inPlace.set(write, scoreFieldsUpdate(write.doc, before));
      }
      this.metrics.stage('compute', computing);
      if (writes.length === 0) break;
      const written = await this.metrics.timed('write', () =>
        this.writes.writeConditionally(tenantId, writes, inPlace),
      );
      if (written === writes.length) {
        won.push(...writes);
        break;
      }
      // Lost races (a write of the same lead in between): see what is stored now. Ours are the
      // scores that carry our writes' `writeId`; the others are scored again from what won.
      const current = await this.metrics.timed('read_previous', () =>
        this.writes.readScores(
          tenantId,
          writes.map((write) => write.doc),
          {},
        ),
      );
      // What won may be of a newer configuration than ours (see liveConfig): ours is read again.
      if (!options.config && current.some((doc) => doc.configVersion > config.version))
        config = await this.configs.current(tenantId);
      const stored = new Map(current.map((doc) => [doc.leadRef.toHexString(), doc]));
      const retry: LeadSnapshot[] = [];
      for (const write of writes) {
        const doc = stored.get(write.doc.leadRef.toHexString());
        if (doc?.writeId && doc.writeId.equals(write.doc.writeId)) {
          won.push(write);
        } else if (doc && doc.configVersion > config.version) {
          // What won is of a newer configuration than this call's, which its caller fixed (a
          // batch job of an older configuration still running): it stands, never overwritten with
          // an older configuration's score. (A call without one has read the current one above.)
        } else if (doc && doc.leadVersion > write.doc.leadVersion) {
          // Newer engagement won: score it again only if it was scored with another config or model.
          // An override is set (or cleared) on whatever version won.
          if (
            options.override ||
            doc.configVersion !== config.version ||
            doc.modelVersion !== model.version
          )
            retry.push(toSnapshot(doc));
        } else {
          retry.push(pendingSnapshot(pending, write));
        }
      }
      if (attempt === MAX_WRITE_ATTEMPTS && retry.length > 0) {
        unwritten = retry.length;
        break;
      }
      pending = retry;
      previousDocs = current;
    }
    const outcome = await this.effects.afterWritten(tenantId, won);
    await this.overrideTrail.record(tenantId, won, options.actorId);
    stopTimer();
    this.metrics.scored.inc(
      { reason, model: model.kind === 'TRAINED' ? model.modelType : model.kind },
      won.length,
    );
    // Nothing is left unscored in silence: the caller answers an error its client can retry
    // (ingestion finds the events applied and scores the leads; a batch chunk is retried).
    if (unwritten > 0) {
      this.logger.warn({ msg: 'scores not written after retries', tenantId, count: unwritten });
      throw ScoringException.notWritten(unwritten);
    }
    return outcome;
  }

  /**
   * Trained models score attributes: a snapshot without them whose stored score has no copy
   * either (written before scores kept one) gets them from its lead.
   */
  private async withAttributes(
    tenantId: string,
    snapshots: readonly LeadSnapshot[],
    previous: readonly PreviousScore[],
  ): Promise<readonly LeadSnapshot[]> {
    const stored = new Map(previous.map((doc) => [doc.leadRef.toHexString(), doc]));
    const lacking = snapshots.filter(
      (snapshot) =>
        snapshot.attributes === undefined &&
        copiedAttributes(snapshot, stored.get(snapshot.leadRef.toHexString())) === undefined,
    );
    if (lacking.length === 0) return snapshots;
    const found = await this.models.leadAttributes(
      tenantId,
      lacking.map((snapshot) => snapshot.leadRef),
    );
    return snapshots.map((snapshot) => {
      const read = found.get(snapshot.leadRef.toHexString());
      if (!read || snapshot.attributes !== undefined) return snapshot;
      // The stamp read with them (a newer edit's, maybe: its own scoring follows).
      const { attributesStamp: _stale, ...rest } = snapshot;
      return {
        ...rest,
        attributes: read.attributes,
        ...(read.stamp !== undefined ? { attributesStamp: read.stamp } : {}),
      };
    });
  }

  /**
   * The configuration a live write scores with: this process's cached one, unless the call meets
   * a score of a newer version than it (another process saved that version and its event has not
   * arrived, or was lost: scoring with the cached one would undo the save's rescoring of the lead)
   * or a lead without a stored score (its first score: nothing to compare with, and a lead created
   * behind a running rescoring's walk is not met by it). Then the current one is read.
   */
  private async liveConfig(
    tenantId: string,
    snapshots: readonly LeadSnapshot[],
    previous: readonly PreviousScore[],
  ): Promise<EffectiveScoringConfig> {
    if (previous.length < snapshots.length) return this.configs.current(tenantId);
    const cached = await this.configs.cached(tenantId);
    return previous.some((doc) => doc.configVersion > cached.version)
      ? this.configs.current(tenantId)
      : cached;
  }

  /** An A/B test's leads scored by their arms' models, each arm as one call. */
  private async perArm<T extends { leadId: string }>(
    choice: AbModelChoice,
    items: readonly T[],
    score: (arm: SingleModelChoice, part: T[]) => Promise<ScoringOutcome>,
  ): Promise<ScoringOutcome> {
    const arms = new Map<SingleModelChoice, T[]>([
      [choice.a, []],
      [choice.b, []],
    ]);
    for (const item of items) arms.get(choiceForLead(choice, item.leadId))!.push(item);
    let scored = 0;
    let changed = 0;
    for (const [arm, part] of arms) {
      if (part.length === 0) continue;
      const outcome = await score(arm, part);
      scored += outcome.scored;
      changed += outcome.changed;
    }
    return { scored, changed };
  }

  /**
   * Recomputes stored scores from the engagement they keep (config changes, decay). With
   * `redoSince` (the chunks a resumed job may have written before its worker died), scores written
   * since then with this config are taken as done: their history entry, if the crash took it, is
   * restored and their event published again (at least once), instead of a rewrite that would
   * see no change and record neither.
   */
  async rescoreStored(
    tenantId: string,
    docs: readonly StoredScore[],
    reason: ScoreChangeReason,
    options: {
      config?: EffectiveScoringConfig;
      model?: ScoringModelChoice;
      now?: Date;
      redoSince?: Date;
      /**
       * The docs are stored scores read from MongoDB (batch and freshness chunks, RESCORING_READ):
       * they are the previous scores as they stand, so they are not read again. Copies from the
       * ranking index lack the attributes copy and are read again unless every one carries it.
       */
      whole?: boolean;
    } = {},
  ): Promise<ScoringOutcome> {
    // Without one given, scoreSnapshots takes the cached configuration (and checks it).
    const { config } = options;
    const chosen = options.model ?? (await this.models.current(tenantId));
    if (chosen.kind === 'AB')
      return this.perArm(chosen, docs, (arm, part) =>
        this.rescoreStored(tenantId, part, reason, {
          ...options,
          model: { ...arm, shadow: chosen.shadow },
        }),
      );
    const model = chosen;
    const { redoSince } = options;
    if (redoSince && !config) throw new Error('rescoreStored: redoSince comes with the job config');
    // A resumed batch job's (it gives its config): scores it wrote before, finished not redone.
    const done =
      redoSince && config
        ? docs.filter(
            (doc) =>
              doc.configVersion === config.version &&
              doc.modelVersion === model.version &&
              doc.computedAt >= redoSince,
          )
        : [];
    const rest = done.length > 0 ? docs.filter((doc) => !done.includes(doc)) : docs;
    const outcome = await this.scoreSnapshots(tenantId, rest.map(toSnapshot), reason, {
      ...options,
      config,
      model,
      // Copies without their attributes (from the ranking index) are read again, with them.
      previous:
        options.whole || rest.every((doc) => doc.attributes !== undefined) ? rest : undefined,
      inPlace: options.whole,
    });
    if (done.length === 0) return outcome;
    const renotified = await this.effects.finishWritten(tenantId, done, reason, redoSince!);
    return { scored: outcome.scored + done.length, changed: outcome.changed + renotified };
  }
}

/** The stored scores of an arm's leads (a set lookup: batch chunks hold thousands). */
function previousOf(
  previous: readonly PreviousScore[],
  part: readonly LeadSnapshot[],
): PreviousScore[] {
  const refs = new Set(part.map((snapshot) => snapshot.leadRef.toHexString()));
  return previous.filter((doc) => refs.has(doc.leadRef.toHexString()));
}

/** The snapshot a write was built from (the write keeps its values, not the snapshot itself). */
function pendingSnapshot(pending: readonly LeadSnapshot[], write: ScoreWrite): LeadSnapshot {
  return pending.find((snapshot) => snapshot.leadRef.equals(write.doc.leadRef))!;
}

export function toSnapshot(doc: StoredScore): LeadSnapshot {
  return {
    leadRef: doc.leadRef,
    leadId: doc.leadId,
    name: doc.name,
    email: doc.email,
    ownerId: doc.ownerId,
    status: doc.status,
    emailOpens: doc.emailOpens,
    websiteVisits: doc.websiteVisits,
    timeSpentSeconds: doc.timeSpentSeconds,
    lastActivityAt: doc.lastActivityAt,
    version: doc.leadVersion,
    ...(doc.attributes !== undefined ? { attributes: doc.attributes } : {}),
    ...(doc.attributesStamp !== undefined ? { attributesStamp: doc.attributesStamp } : {}),
  };
}
