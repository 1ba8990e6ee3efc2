import {
  brokenStorePath,
  checkStoreOnRestart,
  parseStoreRepair,
  STORE_CLOSED_EXIT_CODE,
  STORE_INACCESSIBLE_EXIT_CODE,
  STORE_UNOPENABLE_EXIT_CODE,
  unopenableStoreReason,
} from './store-recovery';

describe('store recovery', () => {
  it('reads what the launcher did to its store: documents removed and saved where, versions rolled back', () => {
    const output = [
      'cannot open the store as it is (...): checking it document by document',
      'ROLLED BACK versions=1 to=4 original=/data/mongo/mongo.mv.db.before-rollback-20250101T000000000Z',
      'REPAIRED removed=2 namespaces=app.leads,app.other saved=/data/mongo/mongo.mv.db.removed-20250101T000000000Z',
      'READY port=4242 backend=h2',
    ].join('\n');
    expect(parseStoreRepair(output)).toEqual({
      removed: {
        count: 2,
        namespaces: ['app.leads', 'app.other'],
        savedTo: '/data/mongo/mongo.mv.db.removed-20250101T000000000Z',
      },
      rolledBack: {
        versions: 1,
        toVersion: 4,
        originalSavedTo: '/data/mongo/mongo.mv.db.before-rollback-20250101T000000000Z',
      },
    });
    expect(parseStoreRepair('REPAIRED removed=1 namespaces=a.b saved=/x\n')).toEqual({
      removed: { count: 1, namespaces: ['a.b'], savedTo: '/x' },
    });
    expect(parseStoreRepair('READY port=4242 backend=h2\n')).toBeUndefined();
    // A path with spaces is kept whole.
    expect(
      parseStoreRepair('REPAIRED removed=1 namespaces=a.b saved=/my data/x\n')?.removed?.savedTo,
    ).toBe('/my data/x');
  });

  it("blames the file only when the launcher says its content cannot be opened (not a locked or unreadable file's)", () => {
    const fatal =
      'checking it document by document\nFATAL cannot open store: MVStoreException: Store header is corrupt\n';
    expect(unopenableStoreReason(STORE_UNOPENABLE_EXIT_CODE, fatal)).toBe(
      'MVStoreException: Store header is corrupt',
    );
    // The exit code decides; a lost line still moves the file.
    expect(unopenableStoreReason(STORE_UNOPENABLE_EXIT_CODE, '')).toBe('exit code 4');
    expect(
      unopenableStoreReason(
        STORE_INACCESSIBLE_EXIT_CODE,
        'FATAL cannot access store: The file is locked',
      ),
    ).toBeUndefined();
    expect(unopenableStoreReason(STORE_CLOSED_EXIT_CODE, fatal)).toBeUndefined();
    expect(unopenableStoreReason(1, fatal)).toBeUndefined();
    expect(unopenableStoreReason(null, fatal)).toBeUndefined();
  });

  it('checks the whole store on restart only after the store closed under the engine', () => {
    expect(checkStoreOnRestart({ code: STORE_CLOSED_EXIT_CODE, signal: null })).toBe(true);
    expect(checkStoreOnRestart({ code: null, signal: 'SIGKILL' })).toBe(false);
    expect(checkStoreOnRestart({ code: 1, signal: null })).toBe(false);
    // Restarted after failed checks (the process still ran) or a first start.
    expect(checkStoreOnRestart(undefined)).toBe(false);
  });

  it('moves a broken file beside itself, stamped to the millisecond (UTC) so nothing is overwritten', () => {
    expect(brokenStorePath('/data/mongo/mongo.mv.db', new Date('2025-03-04T05:06:07.089Z'))).toBe(
      '/data/mongo/mongo.mv.db.broken-20250304T050607089Z',
    );
    const a = brokenStorePath('f', new Date('2025-03-04T05:06:07.089Z'));
    const b = brokenStorePath('f', new Date('2025-03-04T05:06:07.090Z'));
    expect(a).not.toBe(b);
  });
});
