import { DatasetRowInput } from '@/ml/dataset/dataset-table.util';
import { rawFeaturesOf } from '@/ml/features/raw-features.util';

/** A closed lead as a snapshot needs it (what the leads module's cursor yields). Pure types. */
export interface SnapshotLead {
  readonly leadId: string;
  readonly ownerId: string | null;
  readonly attributes: Readonly<Record<string, unknown>> | null;
  readonly outcome: {
    readonly outcome: 'CONVERTED' | 'LOST';
    readonly at: Date;
    readonly emailOpens: number;
    readonly websiteVisits: number;
    readonly timeSpentSeconds: number;
    readonly lastActivityAt: Date | null;
  };
}

export interface SnapshotFilter {
  readonly outcomeFrom?: Date;
  readonly outcomeTo?: Date;
  readonly ownerIds?: readonly string[];
}

export function matchesSnapshotFilter(lead: SnapshotLead, filter: SnapshotFilter): boolean {
  const at = lead.outcome.at.getTime();
  if (filter.outcomeFrom && at < filter.outcomeFrom.getTime()) return false;
  if (filter.outcomeTo && at >= filter.outcomeTo.getTime()) return false;
  if (filter.ownerIds && filter.ownerIds.length > 0)
    return lead.ownerId !== null && filter.ownerIds.includes(lead.ownerId);
  return true;
}

/**
 * A closed lead as a training row: its label and event time from its latest outcome, its features
 * as of that moment through the one shared path (`rawFeaturesOf`) that scoring a live lead uses
 * too, from the engagement copied when it closed (later events never leak into the row).
 */
export function snapshotRow(lead: SnapshotLead): DatasetRowInput {
  const closed = lead.outcome;
  return {
    leadId: lead.leadId,
    label: closed.outcome === 'CONVERTED' ? 1 : 0,
    eventTime: closed.at.getTime(),
    features: rawFeaturesOf(
      {
        emailOpens: closed.emailOpens,
        websiteVisits: closed.websiteVisits,
        timeSpentSeconds: closed.timeSpentSeconds,
        lastActivityAt: closed.lastActivityAt,
        attributes: lead.attributes ?? {},
      },
      closed.at,
    ),
  };
}
