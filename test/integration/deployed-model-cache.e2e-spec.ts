import { AppProcess, spawnAppProcess } from '@test/utils/app-process';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { makeInteraction, recordInteractions } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';
import { HISTORY_MAPPING, historyCsv } from '@test/utils/training-data';

/**
 * Every process caches the deployed model of a tenant. A deploy on one api process must reach the
 * cache of another at once (through the EventBus), not after the cache's minute runs out.
 */
describe('the deployed model reaches every process', () => {
  const sut = useTestApp();
  let other: AppProcess | undefined;
  let admin: Session;

  afterAll(() => other?.kill());

  async function modelTypeOf(url: string, leadId: string): Promise<string> {
    const response = await gql<{
      leads: { items: { leadId: string; breakdown: { modelType: string } }[] };
    }>(
      url,
      'query($s: String) { leads(filter: { search: $s }) { items { leadId breakdown { modelType } } } }',
      { variables: { s: leadId.toLowerCase() }, headers: bearer(admin) },
    );
    return response.data!.leads.items.find((lead) => lead.leadId === leadId)!.breakdown.modelType;
  }

  it('scores with the new model on another api process right after a deploy', async () => {
    admin = await registerTenant(sut.url);
    await importCsv(sut.url, admin, historyCsv(), HISTORY_MAPPING);
    const version = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "h" }) { version { id } } }',
      { headers: bearer(admin) },
    );
    const started = await gql<{ trainModel: { id: string } }>(
      sut.url,
      'mutation($v: ID!) { trainModel(input: { datasetVersionId: $v, modelType: NAIVE_BAYES }) { id } }',
      { variables: { v: version.data!.createDatasetVersion.version.id }, headers: bearer(admin) },
    );
    let modelId: string | null = null;
    for (let i = 0; i < 300 && !modelId; i++) {
      const job = await gql<{ trainingJob: { status: string; modelId: string | null } }>(
        sut.url,
        'query($id: ID!) { trainingJob(id: $id) { status modelId } }',
        { variables: { id: started.data!.trainModel.id }, headers: bearer(admin) },
      );
      if (job.data!.trainingJob.status === 'COMPLETED') modelId = job.data!.trainingJob.modelId;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(modelId).not.toBeNull();

    // The other process scores a lead first: the weighted sum is now in its cache.
    other = await spawnAppProcess({ namespace: sut.namespace, role: 'api' });
    expect(
      (await recordInteractions(other.url, admin, [makeInteraction({ leadId: 'H-1' })])).errors,
    ).toBeUndefined();
    expect(await modelTypeOf(other.url, 'H-1')).toBe('WEIGHTED_SUM');

    const deployed = await gql(
      sut.url,
      'mutation($id: ID!) { deployModel(id: $id) { previousModelId } }',
      {
        variables: { id: modelId },
        headers: bearer(admin),
      },
    );
    expect(deployed.errors).toBeUndefined();
    // Within moments, far below the cache's 60 s: its live scoring uses the deployed model.
    const deadline = Date.now() + 5_000;
    let seen = '';
    for (let n = 2; Date.now() < deadline; n++) {
      await recordInteractions(other.url, admin, [makeInteraction({ leadId: `H-${n}` })]);
      seen = await modelTypeOf(other.url, `H-${n}`);
      if (seen === 'NAIVE_BAYES') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen).toBe('NAIVE_BAYES');
  });
});
