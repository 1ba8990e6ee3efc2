import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';

import { ScoringConfigService } from '@/scoring/scoring-config.service';
import { AppProcess, spawnAppProcess } from '@test/utils/app-process';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';

const UPDATE =
  'mutation($input: UpdateScoringConfigInput!) { updateScoringConfig(input: $input) { version } }';
const SCORED =
  'query($id: ID!) { lead(id: $id) { breakdown { configVersion terms { feature weight } } } }';

/**
 * Live scoring reads a tenant's configuration from a per-process cache. A save must reach it at
 * once, in the process that saved and in the others; and a save whose event never arrives must
 * not let live scoring undo its rescoring. No process here runs the `scoring` queue: the saves'
 * batch rescorings stay queued, so every score read below is a live one.
 */
describe('the scoring configuration cache', () => {
  const sut = useTestApp({ role: 'api' });
  let other: AppProcess | undefined;
  let admin: Session;

  afterAll(() => other?.kill());

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
  });

  async function scored(
    url: string,
    id: string,
  ): Promise<{ configVersion: number; emailOpens: number | undefined }> {
    const response = await gql<{
      lead: { breakdown: { configVersion: number; terms: { feature: string; weight: number }[] } };
    }>(url, SCORED, { variables: { id }, headers: bearer(admin) });
    expect(response.errors).toBeUndefined();
    const { breakdown } = response.data!.lead;
    return {
      configVersion: breakdown.configVersion,
      emailOpens: breakdown.terms.find((term) => term.feature === 'emailOpens')?.weight,
    };
  }

  async function save(emailOpens: number): Promise<number> {
    const response = await gql<{ updateScoringConfig: { version: number } }>(sut.url, UPDATE, {
      variables: { input: { weights: { emailOpens, websiteVisits: 0.35, timeSpent: 0.25 } } },
      headers: bearer(admin),
    });
    expect(response.errors).toBeUndefined();
    return response.data!.updateScoringConfig.version;
  }

  it('reads the configuration once, not on every scoring call', async () => {
    const configs = sut.app.get(ScoringConfigService);
    const tenantId = admin.tenantId;
    const reads = jest.spyOn(configs, 'find');
    try {
      const [lead] = await upsertLeads(sut.url, admin, [makeLead({ leadId: 'CC-0' })]);
      for (let i = 0; i < 3; i++)
        await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'CC-0' })]);
      expect((await scored(sut.url, lead.id)).configVersion).toBe(1);
      const ofTenant = reads.mock.calls.filter(([tenant]) => String(tenant) === tenantId);
      expect(ofTenant).toHaveLength(1);
    } finally {
      reads.mockRestore();
    }
  });

  it('scores with a saved configuration at once, in this process and in another', async () => {
    other = await spawnAppProcess({ namespace: sut.namespace, role: 'api' });
    // Both processes score a lead first: version 1 is in both caches.
    const [here, there] = await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'CC-1' }),
      makeLead({ leadId: 'CC-2' }),
    ]);
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'CC-1' })]);
    expect(
      (await recordInteractions(other.url, admin, [makeInteraction({ leadId: 'CC-2' })])).errors,
    ).toBeUndefined();
    expect((await scored(sut.url, here.id)).configVersion).toBe(1);
    expect((await scored(sut.url, there.id)).configVersion).toBe(1);

    const version = await save(0.8);
    expect(version).toBe(2);
    // The saving process: its next live score is of the new version, with its weights.
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'CC-1' })]);
    expect(await scored(sut.url, here.id)).toMatchObject({ configVersion: 2, emailOpens: 0.8 });
    // The other one: within moments, far below the cache's minute.
    const deadline = Date.now() + 5_000;
    let seen = 1;
    while (Date.now() < deadline) {
      await recordInteractions(other.url, admin, [makeInteraction({ leadId: 'CC-2' })]);
      seen = (await scored(sut.url, there.id)).configVersion;
      if (seen === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen).toBe(2);
  });

  it('reads the configuration again when a score of a newer one is stored (a lost event)', async () => {
    const [stale, fresh] = await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'CC-3' }),
      makeLead({ leadId: 'CC-4' }),
    ]);
    await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'CC-3' }),
      makeInteraction({ leadId: 'CC-4' }),
    ]);
    expect((await scored(sut.url, stale.id)).configVersion).toBe(2);

    // Version 3 saved by a process whose event never came (written past the service), and one
    // lead rescored to it there (its stored score says version 3).
    const db = sut.app.get<Connection>(getConnectionToken());
    const tenantId = new Types.ObjectId(admin.tenantId);
    await db.collection('scoringConfigs').insertOne({
      tenantId,
      version: 3,
      weights: [0.1, 0.35, 0.25],
      caps: [10, 20, 1800],
      halfLifeDays: 7,
      hotThreshold: 70,
      warmThreshold: 40,
      createdBy: null,
      createdAt: new Date(),
    });
    await db
      .collection('leadScores')
      .updateOne({ tenantId, _id: new Types.ObjectId(fresh.id) }, { $set: { configVersion: 3 } });

    // A lead whose stored score is of version 2 is scored with the cached version 2 (until the
    // cache's minute is out): what makes the next case meaningful.
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'CC-3' })]);
    expect(await scored(sut.url, stale.id)).toMatchObject({ configVersion: 2, emailOpens: 0.8 });
    // The lead with a version-3 score: scored with version 3, read again, not undone to 2.
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'CC-4' })]);
    expect(await scored(sut.url, fresh.id)).toMatchObject({ configVersion: 3, emailOpens: 0.1 });
    // And that read is now the cached one.
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'CC-3' })]);
    expect(await scored(sut.url, stale.id)).toMatchObject({ configVersion: 3, emailOpens: 0.1 });
  });
});
