import { bearer, Session } from './auth';
import { gql } from './graphql-client';

/** Trains a model through `trainModel` and waits for its job: the new model's id. */
export async function trainedModelId(
  url: string,
  session: Session,
  datasetVersionId: string,
  modelType: string,
): Promise<string> {
  const job = await gql<{ trainModel: { id: string } }>(
    url,
    'mutation($input: TrainModelInput!) { trainModel(input: $input) { id } }',
    { variables: { input: { datasetVersionId, modelType } }, headers: bearer(session) },
  );
  if (!job.data) throw new Error(`trainModel refused: ${JSON.stringify(job.errors)}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await gql<{ trainingJob: { status: string; modelId: string; failure: string } }>(
      url,
      'query($id: ID!) { trainingJob(id: $id) { status modelId failure } }',
      { variables: { id: job.data.trainModel.id }, headers: bearer(session) },
    );
    const { status, modelId, failure } = state.data!.trainingJob;
    if (status === 'COMPLETED') return modelId;
    if (status === 'FAILED' || status === 'CANCELLED')
      throw new Error(`training ${status}: ${failure}`);
    if (Date.now() > deadline) throw new Error('training did not finish within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
