import { Types } from 'mongoose';

import type { ConnectedAppConfig } from '@/config/app-config';
import { compareDatasets } from '@/ml/dataset/compare-datasets.util';
import {
  DatasetRowInput,
  DatasetTable,
  sliceTable,
  tableFromRows,
} from '@/ml/dataset/dataset-table.util';

import { DatasetAnalysisService } from './dataset-analysis.service';
import type { DatasetBuilder } from './dataset-builder.service';
import type { DatasetStore } from './dataset-store.service';
import type { DatasetVersionsService } from './dataset-versions.service';
import type { DatasetVersion } from './schemas/dataset-version.schema';

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRow(leadId: string, next: () => number, extra = false): DatasetRowInput {
  return {
    leadId,
    label: next() < 0.4 ? 1 : 0,
    eventTime: Date.UTC(2026, 0, 1 + Math.floor(next() * 3)),
    features: {
      age: next() < 0.1 ? null : Math.floor(next() * 5) * 10,
      job: ['admin.', 'services', 'retired'][Math.floor(next() * 3)],
      ...(extra ? { region: next() < 0.5 ? 'north' : 'south' } : {}),
    },
  };
}

interface Stored {
  readonly version: DatasetVersion;
  readonly table: DatasetTable;
  readonly chunkRows: number;
}

function stored(table: DatasetTable, chunkRows: number): Stored {
  const version = {
    _id: new Types.ObjectId(),
    tenantId: new Types.ObjectId(),
    featureNames: table.columns.map((column) => column.name),
    chunkCount: Math.ceil(table.leadIds.length / chunkRows),
  } as DatasetVersion;
  return { version, table, chunkRows };
}

/** The service over versions held in memory, stored in chunks of the given sizes. */
function makeSut(versions: Stored[], sampleRows: number): DatasetAnalysisService {
  const byId = new Map(versions.map((v) => [v.version._id.toHexString(), v]));
  const versionsFake = {
    get: (_tenantId: string, id: string) => Promise.resolve(byId.get(id)!.version),
  };
  const storeFake = {
    async *readChunks(version: DatasetVersion): AsyncGenerator<DatasetTable> {
      const { table, chunkRows } = byId.get(version._id.toHexString())!;
      for (let start = 0; start < table.leadIds.length; start += chunkRows) {
        await Promise.resolve();
        yield sliceTable(table, start, Math.min(table.leadIds.length, start + chunkRows));
      }
    },
  };
  const config = { datasets: { analysisSampleRows: sampleRows } } as ConnectedAppConfig;
  return new DatasetAnalysisService(
    versionsFake as unknown as DatasetVersionsService,
    storeFake as unknown as DatasetStore,
    {} as DatasetBuilder,
    config,
  );
}

function versionsPair(seed: number): { a: DatasetTable; b: DatasetTable } {
  const next = random(seed);
  const rowsA: DatasetRowInput[] = [];
  const rowsB: DatasetRowInput[] = [];
  for (let i = 0; i < 700; i++) {
    const id = `L${String(i).padStart(4, '0')}`;
    const row = makeRow(id, next);
    const where = next();
    if (where < 0.15) rowsA.push(row);
    else if (where < 0.3) rowsB.push(makeRow(id, next, true));
    else {
      rowsA.push(row);
      // A third of the shared leads changes.
      rowsB.push(
        next() < 0.33
          ? makeRow(id, next, true)
          : { ...row, features: { ...row.features, region: 'north' } },
      );
    }
  }
  return { a: tableFromRows(rowsA), b: tableFromRows(rowsB) };
}

describe('DatasetAnalysisService.compare', () => {
  it.each([
    [1, 7, 50],
    [2, 100, 1],
    [3, 1_000, 33],
  ])(
    'streams chunks (seed %i, chunks of %i and %i rows) to what compareDatasets says of whole tables',
    async (seed, chunkA, chunkB) => {
      const { a, b } = versionsPair(seed);
      const va = stored(a, chunkA);
      const vb = stored(b, chunkB);
      const sut = makeSut([va, vb], 10_000);
      const got = await sut.compare('tenant', {
        a: va.version._id.toHexString(),
        b: vb.version._id.toHexString(),
      });
      const expected = compareDatasets(a, b);
      // Every kind of row is there, more than the listed samples of each.
      for (const count of [expected.added, expected.removed, expected.changed, expected.unchanged])
        expect(count).toBeGreaterThan(20);
      expect(got).toMatchObject({
        rowsA: expected.rowsA,
        rowsB: expected.rowsB,
        added: expected.added,
        removed: expected.removed,
        changed: expected.changed,
        unchanged: expected.unchanged,
        sampleAdded: expected.sampleAdded,
        sampleRemoved: expected.sampleRemoved,
        sampleChanged: expected.sampleChanged,
        labelRateA: expected.labelRateA,
        labelRateB: expected.labelRateB,
        schema: expected.schema,
        sampledRowsA: a.leadIds.length,
        sampledRowsB: b.leadIds.length,
      });
      expect(got.features.map((f) => [f.name, f.psi])).toEqual(
        expected.features.map((f) => [f.name, f.psi]),
      );
    },
  );

  it('counts every row but computes PSI on at most the sample size, the same leads on both sides', async () => {
    const { a, b } = versionsPair(4);
    const va = stored(a, 64);
    const vb = stored(b, 64);
    const sut = makeSut([va, vb], 50);
    const got = await sut.compare('tenant', {
      a: va.version._id.toHexString(),
      b: vb.version._id.toHexString(),
    });
    const expected = compareDatasets(a, b);
    expect(got).toMatchObject({
      rowsA: expected.rowsA,
      rowsB: expected.rowsB,
      added: expected.added,
      removed: expected.removed,
      changed: expected.changed,
      labelRateA: expected.labelRateA,
    });
    expect(got.sampledRowsA).toBeLessThanOrEqual(50);
    expect(got.sampledRowsB).toBeLessThanOrEqual(50);
    expect(Math.max(got.sampledRowsA, got.sampledRowsB)).toBe(50);

    // The same version on both sides: the same sample, so no drift.
    const same = await sut.compare('tenant', {
      a: va.version._id.toHexString(),
      b: va.version._id.toHexString(),
    });
    expect(same.sampledRowsA).toBe(50);
    expect(same.sampledRowsB).toBe(50);
    expect(same.features.every((f) => f.psi === 0)).toBe(true);
    expect(same).toMatchObject({ changed: 0, unchanged: a.leadIds.length });
  });
});
