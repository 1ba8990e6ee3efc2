/** Profiles of dataset versions too large to profile within a call (worker role). */
export const MODEL_SETUP_QUEUE = 'model-setup';

export const ModelSetupJobName = {
  /** Profile a dataset version and screen it for leakage (datasetProfile past the inline limit). */
  PROFILE: 'profile-dataset-version',
} as const;

export interface ProfileDatasetJobData {
  readonly tenantId: string;
  readonly versionId: string;
}
