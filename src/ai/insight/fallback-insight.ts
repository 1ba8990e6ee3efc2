/**
 * The insight written without OpenAI: deterministic (the same input gives the same output) and
 * built only from numbers and enumerations (score, tier, terms or factors, decay, engagement,
 * history, status). The lead's free text (name, attributes, a factor's text value) is never read,
 * so nothing written in a lead can change it. Feature names (the model's configuration, not the
 * lead's) are reduced to safe characters before being quoted.
 */
import { INSIGHT_LIMITS } from './insight-schema';
import {
  formatDaysAgo,
  formatDuration,
  formatNumber,
  halfLifeDays,
  plural,
  safeFeatureName,
  scoreTrend,
  ScoreTrend,
} from './insight-facts';
import type { InsightContent, InsightFactor, InsightInput, InsightTerm } from './insight.types';

export const WEIGHTED_SUM = 'WEIGHTED_SUM';
/** Active within this many days: recent (a HOT lead gets "Call today"). */
export const RECENT_DAYS = 3;
/** Inactive for this many days or more: a COLD lead gets a re-engagement action. */
export const INACTIVE_DAYS = 14;
/** Inactive for this many days or more: inactivity is a risk. */
export const INACTIVITY_RISK_DAYS = 7;
/** One term carrying more than this share of the score: a single-channel risk. */
export const SINGLE_CHANNEL_SHARE = 0.8;

const TIERS = ['HOT', 'WARM', 'COLD'] as const;

interface Phrase {
  readonly text: string;
  readonly singular: boolean;
}

interface TermWords {
  /** "12 email opens", "10 minutes on the site". */
  amount(value: number): Phrase;
  /** The cap in the same unit: "10", "10 minutes". */
  cap(cap: number): string;
  /** "email opens": what the term measures. */
  readonly label: string;
  /** What to open a call with. */
  readonly topic: string;
  /** A nurture action that lifts this term. */
  readonly nurture: string;
  talkingPoint(value: number): string;
}

function counted(singular: string, pluralForm?: string) {
  return (value: number): Phrase => ({
    text: plural(value, singular, pluralForm),
    singular: value === 1,
  });
}

const TERM_WORDS: Readonly<Record<string, TermWords>> = {
  emailOpens: {
    amount: counted('email open'),
    cap: formatNumber,
    label: 'email opens',
    topic: 'the emails they have been opening',
    nurture: 'send a short, relevant email (a case study or product news)',
    talkingPoint: (v) =>
      `${plural(v, 'email open')}: refer to the emails they opened and ask what stood out.`,
  },
  websiteVisits: {
    amount: counted('website visit'),
    cap: formatNumber,
    label: 'website visits',
    topic: 'the pages they have been visiting',
    nurture: 'share a link to a relevant page (pricing, a demo or a case study)',
    talkingPoint: (v) =>
      `${plural(v, 'website visit')}: ask what they were looking for on the site.`,
  },
  timeSpent: {
    amount: (v) => {
      const text = formatDuration(v);
      return { text: `${text} on the site`, singular: text.startsWith('1 ') };
    },
    cap: formatDuration,
    label: 'time on the site',
    topic: 'what they have been reading on the site',
    nurture: 'send in-depth content worth their time (a guide or a webinar)',
    talkingPoint: (v) =>
      `${formatDuration(v)} on the site: they are researching; offer to walk them through what they read.`,
  },
};

function wordsFor(feature: string): TermWords {
  const known = Object.prototype.hasOwnProperty.call(TERM_WORDS, feature)
    ? TERM_WORDS[feature]
    : undefined;
  if (known) return known;
  const name = safeFeatureName(feature);
  return {
    amount: (v) => ({ text: `${name} at ${formatNumber(v)}`, singular: true }),
    cap: formatNumber,
    label: name,
    topic: `their ${name}`,
    nurture: `work on ${name}`,
    talkingPoint: (v) => `${name} at ${formatNumber(v)} adds to the score.`,
  };
}

function finiteOr(x: number, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : fallback;
}

/** Cut to `max` characters, an ellipsis marking the cut (never splitting a surrogate pair). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** Sentences in order, skipping any that would take the text past `max`. */
function fitSentences(sentences: readonly (string | null)[], max: number): string {
  let out = '';
  for (const sentence of sentences) {
    if (!sentence) continue;
    const next = out ? `${out} ${sentence}` : sentence;
    if (next.length <= max) out = next;
  }
  return clip(out || (sentences.find((s) => s) ?? ''), max);
}

/** Terms adding points, largest first (ties in the breakdown's order). */
function drivingTerms(terms: readonly InsightTerm[]): InsightTerm[] {
  return terms
    .map((term, index) => ({ term, index }))
    .filter(({ term }) => finiteOr(term.contribution, 0) > 0)
    .sort((a, b) => b.term.contribution - a.term.contribution || a.index - b.index)
    .map(({ term }) => term);
}

/** The weighted term furthest from its cap (ties: the earlier); null if every one is at its cap. */
function weakestTerm(terms: readonly InsightTerm[]): InsightTerm | null {
  let weakest: InsightTerm | null = null;
  let weakestShare = Infinity;
  for (const term of terms) {
    const cap = finiteOr(term.cap, 0);
    if (!(finiteOr(term.weight, 0) > 0) || !(cap > 0)) continue;
    const share = Math.min(Math.max(finiteOr(term.value, 0), 0), cap) / cap;
    if (share < 1 && share < weakestShare) {
      weakest = term;
      weakestShare = share;
    }
  }
  return weakest;
}

/** A factor's value only when it is a plain number: never the lead's free text. */
function factorLabel(factor: InsightFactor): string {
  const name = safeFeatureName(factor.feature);
  const raw = typeof factor.value === 'string' ? factor.value.trim() : '';
  if (/^-?\d{1,15}(\.\d{1,6})?$/.test(raw)) return `${name} = ${formatNumber(Number(raw))}`;
  return name;
}

function signed(x: number): string {
  return x > 0 ? `+${formatNumber(x)}` : formatNumber(x);
}

function positiveFactors(factors: readonly InsightFactor[]): InsightFactor[] {
  return factors
    .map((factor, index) => ({ factor, index }))
    .filter(({ factor }) => finiteOr(factor.contribution, 0) > 0)
    .sort((a, b) => b.factor.contribution - a.factor.contribution || a.index - b.index)
    .map(({ factor }) => factor);
}

/** Factors lowering the score, most negative first. */
function negativeFactors(factors: readonly InsightFactor[]): InsightFactor[] {
  return factors
    .map((factor, index) => ({ factor, index }))
    .filter(({ factor }) => finiteOr(factor.contribution, 0) < 0)
    .sort((a, b) => a.factor.contribution - b.factor.contribution || a.index - b.index)
    .map(({ factor }) => factor);
}

function trendSentence(trend: ScoreTrend | null): string | null {
  if (!trend) return null;
  const over = `over ${plural(trend.days, 'day')} (from ${formatNumber(trend.from)} to ${formatNumber(trend.to)})`;
  if (trend.direction === 'rising') {
    return `Score rising: up ${plural(trend.change, 'point')} ${over}.`;
  }
  if (trend.direction === 'falling') {
    return `Score falling: down ${plural(-trend.change, 'point')} ${over}.`;
  }
  return `Score steady ${over}.`;
}

interface Facts {
  readonly score: number;
  readonly scoreText: string;
  readonly tier: (typeof TIERS)[number] | null;
  readonly weighted: boolean;
  readonly closed: 'CONVERTED' | 'LOST' | null;
  readonly days: number | null;
  readonly decay: number;
  readonly halfLife: number | null;
  readonly trend: ScoreTrend | null;
  readonly terms: readonly InsightTerm[];
  readonly factors: readonly InsightFactor[];
}

function factsOf(input: InsightInput): Facts {
  const score = Math.min(Math.max(finiteOr(input.score, 0), 0), 100);
  const weighted = input.modelType === WEIGHTED_SUM;
  const rawDays = input.daysSinceLastActivity;
  const days =
    typeof rawDays === 'number' && Number.isFinite(rawDays) ? Math.max(rawDays, 0) : null;
  const decay = Math.min(Math.max(finiteOr(input.decayFactor, 1), 0), 1);
  return {
    score,
    scoreText: formatNumber(score),
    tier: (TIERS as readonly string[]).includes(input.tier) ? input.tier : null,
    weighted,
    closed: input.status === 'CONVERTED' || input.status === 'LOST' ? input.status : null,
    days,
    decay,
    halfLife: weighted ? halfLifeDays(decay, days) : null,
    trend: scoreTrend(input.history ?? [], score, input.now),
    terms: weighted ? (input.terms ?? []) : [],
    factors: weighted ? [] : (input.factors ?? []),
  };
}

function summaryOf(f: Facts, input: InsightInput): string {
  const opening = f.closed
    ? `Closed as ${f.closed === 'CONVERTED' ? 'converted' : 'lost'}; last score ${f.scoreText} of 100.`
    : `${f.tier ? `${f.tier} lead` : 'Lead'}: score ${f.scoreText} of 100.`;

  let drivers: string | null = null;
  let model: string | null = null;
  if (f.weighted) {
    const top = drivingTerms(f.terms).slice(0, 3);
    const parts = top.map((term, i) => {
      const words = wordsFor(term.feature);
      const amount = words.amount(finiteOr(term.value, 0));
      const capped =
        finiteOr(term.value, 0) > finiteOr(term.cap, Infinity)
          ? ` (capped at ${words.cap(term.cap)})`
          : '';
      const verb = amount.singular ? 'gives' : 'give';
      const points = formatNumber(term.contribution);
      return i === 0
        ? `${amount.text}${capped} ${verb} ${points} of the ${f.scoreText} points`
        : `${amount.text}${capped} ${verb} ${points}`;
    });
    if (parts.length > 0) drivers = `${capitalize(parts.join('; '))}.`;
  } else {
    model = `Scored by the ${safeFeatureName(input.modelType)} model v${formatNumber(
      finiteOr(input.modelVersion, 0),
    )}.`;
    const up = positiveFactors(f.factors)
      .slice(0, 3)
      .map((factor) => `${factorLabel(factor)} (${signed(factor.contribution)})`);
    const down = negativeFactors(f.factors)
      .slice(0, 2)
      .map((factor) => `${factorLabel(factor)} (${signed(factor.contribution)})`);
    const sentences: string[] = [];
    if (up.length > 0) sentences.push(`Raising it most: ${up.join(', ')}.`);
    if (down.length > 0) sentences.push(`Lowering it: ${down.join(', ')}.`);
    if (sentences.length > 0) drivers = sentences.join(' ');
  }

  let recency: string;
  if (f.days === null) {
    recency = 'No activity recorded yet.';
  } else if (f.halfLife !== null) {
    const kept = Math.round(f.decay * 100);
    const halves = `halves every ${plural(f.halfLife, 'day')} without activity`;
    recency =
      kept >= 100
        ? `Last active ${formatDaysAgo(f.days)}; the score ${halves}.`
        : `Last active ${formatDaysAgo(f.days)}; decay keeps ${kept}% of the score, which ${halves}.`;
  } else {
    recency = `Last active ${formatDaysAgo(f.days)}.`;
  }

  return fitSentences(
    [opening, model, drivers, trendSentence(f.trend), recency],
    INSIGHT_LIMITS.summaryMaxLength,
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isInactive(f: Facts): boolean {
  if (f.days === null) return false;
  return f.days >= INACTIVE_DAYS || (f.weighted && f.decay <= 0.5);
}

function nextBestActionOf(f: Facts): string {
  if (f.closed === 'CONVERTED') {
    return 'Closed: converted. No sales action; hand the account over to onboarding or account management.';
  }
  if (f.closed === 'LOST') {
    return 'Closed: lost. No sales action; revisit only if the lead shows new activity.';
  }
  if (f.days === null) {
    return 'Start outreach: there is no activity yet; send a short first email introducing yourself and ask about their needs.';
  }
  const ago = formatDaysAgo(f.days);
  if (f.tier === 'HOT') {
    const top = f.weighted ? drivingTerms(f.terms)[0] : undefined;
    const topFactor = f.weighted ? undefined : positiveFactors(f.factors)[0];
    const topic = top
      ? wordsFor(top.feature).topic
      : topFactor
        ? `what drives their fit (${safeFeatureName(topFactor.feature)})`
        : 'their current priorities';
    if (f.days <= RECENT_DAYS) {
      return `Call today: the lead is HOT (score ${f.scoreText}) and was active ${ago}; open with ${topic}.`;
    }
    return `Call this week: the lead is HOT (score ${f.scoreText}) but was last active ${ago}; reach out before interest cools, opening with ${topic}.`;
  }
  if (f.tier === 'WARM') {
    if (f.weighted) {
      const weakest = weakestTerm(f.terms);
      if (weakest) {
        const words = wordsFor(weakest.feature);
        const amount = words.amount(Math.max(finiteOr(weakest.value, 0), 0)).text;
        return `Nurture: ${words.nurture} to lift ${words.label}, the weakest signal (${amount} against a cap of ${words.cap(weakest.cap)}).`;
      }
    } else {
      const worst = negativeFactors(f.factors)[0];
      if (worst) {
        return `Nurture: address ${safeFeatureName(worst.feature)}, which lowers the score most, in your next touch, and keep sending relevant content.`;
      }
    }
    return 'Nurture: send relevant content and follow up within a week to move the lead toward HOT.';
  }
  if (isInactive(f)) {
    return `Re-engage: the lead has been inactive for ${plural(Math.floor(f.days), 'day')}; send a re-engagement email with a fresh offer, or ask whether the need is still there.`;
  }
  return 'Low priority: add the lead to an automated nurture sequence and check back when the score rises.';
}

function talkingPointsOf(f: Facts): string[] {
  const points: string[] = [];
  if (f.weighted) {
    for (const term of drivingTerms(f.terms)) {
      points.push(wordsFor(term.feature).talkingPoint(Math.max(finiteOr(term.value, 0), 0)));
    }
  } else {
    for (const factor of positiveFactors(f.factors).slice(0, 3)) {
      points.push(
        `${factorLabel(factor)} raises the score (${signed(factor.contribution)}): bring it up as a point of fit.`,
      );
    }
  }
  if (f.trend?.direction === 'rising') {
    points.push(
      `Interest is growing: the score rose ${plural(f.trend.change, 'point')} over ${plural(f.trend.days, 'day')}.`,
    );
  }
  if (points.length === 0) {
    points.push(
      f.days === null
        ? 'No engagement yet: open with a short introduction and a question about their priorities.'
        : 'Little engagement so far: ask what would make a conversation worth their time.',
    );
  }
  return points
    .slice(0, INSIGHT_LIMITS.talkingPointsMax)
    .map((p) => clip(p, INSIGHT_LIMITS.itemMaxLength));
}

function risksOf(f: Facts): string[] {
  if (f.closed) return [];
  const risks: string[] = [];
  if (f.days === null) {
    risks.push('No activity recorded: there is no engagement behind the score yet.');
  } else if (f.weighted && f.terms.length > 0 && f.terms.every((t) => !(t.value > 0))) {
    risks.push('No engagement counted: every signal is at zero.');
  }
  if (f.days !== null && f.days >= INACTIVITY_RISK_DAYS) {
    const inactive = `Inactive for ${plural(Math.floor(f.days), 'day')}`;
    risks.push(
      f.weighted && f.decay < 1
        ? `${inactive}: decay has cut the score to ${Math.round(f.decay * 100)}% of what the engagement earned.`
        : `${inactive}: interest may be cooling.`,
    );
  }
  if (f.trend?.direction === 'falling') {
    risks.push(
      `Score falling: down ${plural(-f.trend.change, 'point')} over ${plural(f.trend.days, 'day')}.`,
    );
  }
  if (f.weighted && f.score > 0) {
    const top = drivingTerms(f.terms)[0];
    if (top && top.contribution / f.score > SINGLE_CHANNEL_SHARE) {
      risks.push(
        `Single-channel interest: ${Math.round((top.contribution / f.score) * 100)}% of the score comes from ${wordsFor(top.feature).label}.`,
      );
    }
  }
  if (!f.weighted) {
    for (const factor of negativeFactors(f.factors).slice(0, 2)) {
      risks.push(`${factorLabel(factor)} lowers the score (${signed(factor.contribution)}).`);
    }
  }
  return risks.slice(0, INSIGHT_LIMITS.risksMax).map((r) => clip(r, INSIGHT_LIMITS.itemMaxLength));
}

/** The fit estimate of the fallback: the score rounded to a whole number, 0–100. */
export function fallbackFitEstimate(score: number): number {
  const rounded = Math.round(finiteOr(score, 0));
  return Math.min(Math.max(rounded, 0), 100) + 0;
}

export function fallbackInsight(input: InsightInput): InsightContent {
  const facts = factsOf(input);
  return {
    summary: summaryOf(facts, input),
    nextBestAction: clip(nextBestActionOf(facts), INSIGHT_LIMITS.nextBestActionMaxLength),
    talkingPoints: talkingPointsOf(facts),
    risks: risksOf(facts),
    fitEstimate: fallbackFitEstimate(facts.score),
  };
}
