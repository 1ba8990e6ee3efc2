export const DATASETS_QUEUE = 'datasets';

export const DatasetJobName = {
  /** Build a dataset version (createDatasetVersion past DATASET_INLINE_MAX_ROWS). */
  BUILD: 'build-dataset-version',
} as const;

export interface BuildDatasetJobData {
  readonly tenantId: string;
  /** `_id` of the DatasetBuild record (status and progress as users see them). */
  readonly buildId: string;
}
