import type { Job } from 'bull';

/** Bull's reason for failing a job whose workers kept dying (stalled past `maxStalledCount`). */
const STALLED_TOO_OFTEN = /stalled more than allowable limit/;

/**
 * Whether Bull will not run a failed job again: its attempts are used up, or it failed for stalling
 * too often (which Bull does whatever attempts remain). The job's record then says FAILED.
 */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'>, error: Error): boolean {
  return job.attemptsMade >= (job.opts.attempts ?? 1) || STALLED_TOO_OFTEN.test(error.message);
}
