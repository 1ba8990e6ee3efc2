import { applyScoreChange, compareByScore, type LiveRow, type PageContext } from './liveRows';

interface Row extends LiveRow {
  name: string;
}

const row = (id: string, score: number, tier: LiveRow['tier'] = 'WARM'): Row => ({
  id,
  score,
  tier,
  name: `Lead ${id}`,
});

// A page of a score-descending list: a 90, b 80, c 70, d 60.
const page = (): Row[] => [row('a', 90, 'HOT'), row('b', 80), row('c', 70), row('d', 60)];
const ids = (rows: readonly LiveRow[]) => rows.map((r) => r.id).join(',');

const onlyPage: PageContext = {
  sort: 'SCORE',
  order: 'DESC',
  isFirstPage: true,
  isLastPage: true,
};
const middlePage: PageContext = { ...onlyPage, isFirstPage: false, isLastPage: false };

describe('compareByScore', () => {
  it('orders highest first, ties by lead id ascending; ASC is the exact reverse', () => {
    const keys = [
      { id: 'b', score: 50 },
      { id: 'a', score: 50 },
      { id: 'c', score: 70 },
    ];
    const desc = [...keys].sort((x, y) => compareByScore(x, y, 'DESC'));
    expect(desc.map((k) => k.id)).toEqual(['c', 'a', 'b']);
    const asc = [...keys].sort((x, y) => compareByScore(x, y, 'ASC'));
    expect(asc.map((k) => k.id)).toEqual(['b', 'a', 'c']);
  });
});

describe('applyScoreChange: a lead on the page', () => {
  it('updates score and tier in place when the order still holds, and flashes the row', () => {
    const rows = page();
    const result = applyScoreChange(rows, { id: 'b', score: 85, tier: 'HOT' }, onlyPage);
    expect(ids(result.rows)).toBe('a,b,c,d');
    expect(result.rows[1]).toEqual({ id: 'b', score: 85, tier: 'HOT', name: 'Lead b' });
    expect(result.flashed).toBe('b');
    expect(result.refetch).toBe(false);
    // The input is left alone.
    expect(rows[1].score).toBe(80);
  });

  it('moves the row to its new place when sorting by score descending', () => {
    const up = applyScoreChange(page(), { id: 'd', score: 95, tier: 'HOT' }, onlyPage);
    expect(ids(up.rows)).toBe('d,a,b,c');
    expect(up.rows[0].score).toBe(95);

    const down = applyScoreChange(page(), { id: 'a', score: 65, tier: 'WARM' }, onlyPage);
    expect(ids(down.rows)).toBe('b,c,a,d');

    const last = applyScoreChange(page(), { id: 'b', score: 10, tier: 'COLD' }, onlyPage);
    expect(ids(last.rows)).toBe('a,c,d,b');
    expect(last.flashed).toBe('b');
  });

  it('breaks ties by lead id as the server does', () => {
    // c rises to 80, b's score: b < c, so b stays first of the two.
    const tie = applyScoreChange(page(), { id: 'c', score: 80, tier: 'WARM' }, onlyPage);
    expect(ids(tie.rows)).toBe('a,b,c,d');
    // a falls to 70: a < c, so a goes before c.
    const tie2 = applyScoreChange(page(), { id: 'a', score: 70, tier: 'WARM' }, onlyPage);
    expect(ids(tie2.rows)).toBe('b,a,c,d');
  });

  it('moves the other way when sorting by score ascending', () => {
    const asc = [row('d', 60), row('c', 70), row('b', 80), row('a', 90)];
    const result = applyScoreChange(
      asc,
      { id: 'a', score: 65, tier: 'WARM' },
      { ...onlyPage, order: 'ASC' },
    );
    expect(ids(result.rows)).toBe('d,a,c,b');
  });

  it('never moves a row when sorting by last activity', () => {
    const byActivity: PageContext = { ...onlyPage, sort: 'LAST_ACTIVITY' };
    const result = applyScoreChange(page(), { id: 'd', score: 99, tier: 'HOT' }, byActivity);
    expect(ids(result.rows)).toBe('a,b,c,d');
    expect(result.rows[3]).toMatchObject({ score: 99, tier: 'HOT' });
    expect(result.flashed).toBe('d');
    expect(result.refetch).toBe(false);
  });

  it('asks for the page again when the row may now belong to the page before or after', () => {
    const toTop = applyScoreChange(page(), { id: 'c', score: 99, tier: 'HOT' }, middlePage);
    expect(ids(toTop.rows)).toBe('c,a,b,d');
    expect(toTop.refetch).toBe(true);

    const toBottom = applyScoreChange(page(), { id: 'b', score: 1, tier: 'COLD' }, middlePage);
    expect(ids(toBottom.rows)).toBe('a,c,d,b');
    expect(toBottom.refetch).toBe(true);

    // Inside the page: no refetch, even on a middle page.
    const inside = applyScoreChange(page(), { id: 'd', score: 75, tier: 'WARM' }, middlePage);
    expect(ids(inside.rows)).toBe('a,b,d,c');
    expect(inside.refetch).toBe(false);
  });

  it('does not refetch on the first page when a row rises to the top', () => {
    const result = applyScoreChange(page(), { id: 'b', score: 99, tier: 'HOT' }, onlyPage);
    expect(ids(result.rows)).toBe('b,a,c,d');
    expect(result.refetch).toBe(false);
  });
});

describe('applyScoreChange: a lead not on the page', () => {
  it('is ignored when it stays outside the page', () => {
    const rows = page();
    const below = applyScoreChange(
      rows,
      { id: 'z', score: 40, tier: 'COLD', previousScore: 30 },
      { ...onlyPage, isLastPage: false },
    );
    expect(below.rows).toBe(rows);
    expect(below.flashed).toBeNull();
    expect(below.refetch).toBe(false);

    const above = applyScoreChange(
      rows,
      { id: 'z', score: 99, tier: 'HOT', previousScore: 95 },
      middlePage,
    );
    expect(above.rows).toBe(rows);
    expect(above.refetch).toBe(false);
  });

  it('refetches the page when it now belongs on it', () => {
    const rows = page();
    const into = applyScoreChange(
      rows,
      { id: 'z', score: 75, tier: 'WARM', previousScore: 20 },
      middlePage,
    );
    expect(into.rows).toBe(rows);
    expect(into.flashed).toBeNull();
    expect(into.refetch).toBe(true);

    // Page 1: anything above its last row belongs on it.
    const top = applyScoreChange(
      rows,
      { id: 'z', score: 99, tier: 'HOT', previousScore: 20 },
      { ...onlyPage, isLastPage: false },
    );
    expect(top.refetch).toBe(true);

    // The last page: anything below its first row belongs on it.
    const bottom = applyScoreChange(
      rows,
      { id: 'z', score: 5, tier: 'COLD', previousScore: 95 },
      { ...onlyPage, isFirstPage: false },
    );
    expect(bottom.refetch).toBe(true);
  });

  it('refetches when it crossed the page, shifting its rows', () => {
    const crossed = applyScoreChange(
      page(),
      { id: 'z', score: 10, tier: 'COLD', previousScore: 95 },
      middlePage,
    );
    expect(crossed.flashed).toBeNull();
    expect(crossed.refetch).toBe(true);
  });

  it('refetches for a newly scored lead ranked before the page, not after it', () => {
    const before = applyScoreChange(page(), { id: 'z', score: 99, tier: 'HOT' }, middlePage);
    expect(before.refetch).toBe(true);
    const after = applyScoreChange(
      page(),
      { id: 'z', score: 1, tier: 'COLD', previousScore: null },
      middlePage,
    );
    expect(after.refetch).toBe(false);
  });

  it('is always ignored when sorting by last activity', () => {
    const rows = page();
    const result = applyScoreChange(
      rows,
      { id: 'z', score: 75, tier: 'WARM', previousScore: 20 },
      { ...middlePage, sort: 'LAST_ACTIVITY' },
    );
    expect(result).toEqual({ rows, flashed: null, refetch: false });
  });

  it('refetches an empty page (a lead may now match)', () => {
    const result = applyScoreChange([], { id: 'z', score: 50, tier: 'WARM' }, onlyPage);
    expect(result.refetch).toBe(true);
    expect(result.rows).toEqual([]);
  });
});
