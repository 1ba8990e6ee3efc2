import { bearer, Session } from './auth';
import { gql } from './graphql-client';
import type { TestApp } from './test-app';

export interface Job {
  id: string;
  status: string;
  total: number;
  processed: number;
  changed: number;
  attempts: number;
}

/** Polls scoringJob until the job has ended (COMPLETED or FAILED). */
export async function waitForJob(
  app: TestApp,
  session: Session,
  jobId: string,
  timeoutMs = 30_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await gql<{ scoringJob: Job }>(
      app.url,
      'query($id: ID!) { scoringJob(jobId: $id) { id status total processed changed attempts } }',
      {
        variables: { id: jobId },
        headers: bearer(session),
      },
    );
    const job = response.data?.scoringJob;
    if (job && (job.status === 'COMPLETED' || job.status === 'FAILED')) return job;
    if (Date.now() > deadline)
      throw new Error(`job ${jobId} not finished: ${JSON.stringify(response)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
