export const TRAINING_QUEUE = 'training';

export const TrainingJobName = {
  TRAIN: 'train-model',
} as const;

export interface TrainModelJobData {
  readonly tenantId: string;
  /** `_id` of the TrainingJob record. */
  readonly jobId: string;
}

/** Published on every stage change and, at most every PROGRESS_EVERY_MS, on progress. */
export const TRAINING_JOB_UPDATED_TOPIC = 'training.jobUpdated';
