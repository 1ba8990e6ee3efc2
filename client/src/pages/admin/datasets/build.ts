import type { DatasetBuildStage, DatasetBuildStatus } from '../../../gql/graphql';

export function isBuildFinished(status: DatasetBuildStatus): boolean {
  return status === 'COMPLETED' || status === 'FAILED';
}

/** Rows read out of the rows asked for, 0 to 1 (1 once finished). */
export function buildFraction(build: {
  status: DatasetBuildStatus;
  rowsRead: number;
  totalRows: number;
}): number {
  if (build.status === 'COMPLETED') return 1;
  if (build.totalRows <= 0) return 0;
  return Math.min(1, Math.max(0, build.rowsRead / build.totalRows));
}

export const BUILD_STAGE_LABEL: Record<DatasetBuildStage, string> = {
  READING: 'Reading closed leads',
  DESCRIBING: 'Describing features',
  WRITING: 'Writing rows',
  DONE: 'Done',
};
