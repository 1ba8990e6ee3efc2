import {
  DEFAULT_VIEW,
  hasFilters,
  leadsVariables,
  parseMinScore,
  parseView,
  subscriptionVariables,
  viewToParams,
  withFilters,
  withoutFilters,
  withPage,
  withSize,
  withSort,
  type LeadsView,
} from './urlState';

const parse = (query: string) => parseView(new URLSearchParams(query));

describe('parseMinScore', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['0', 0],
    ['42', 42],
    ['42.5', 42.5],
    ['100', 100],
    ['.5', 0.5],
  ])('accepts %j', (text, value) => {
    expect(parseMinScore(text)).toEqual({ value, error: null });
  });

  it.each(['abc', '4a', '-1', '1e2', '--'])('rejects %j as not a number', (text) => {
    expect(parseMinScore(text).error).toBe('Enter a number from 0 to 100.');
  });

  it('rejects numbers beyond 100', () => {
    expect(parseMinScore('100.5').error).toBe('The minimum score must be between 0 and 100.');
    expect(parseMinScore('150').value).toBeNull();
  });
});

describe('the URL', () => {
  it('gives the defaults for an empty or invalid query', () => {
    expect(parse('')).toEqual(DEFAULT_VIEW);
    expect(
      parse('sort=name&order=up&page=-2&size=30&minScore=500&status=OPEN&owner=&q=%20'),
    ).toEqual(DEFAULT_VIEW);
  });

  it('round-trips a view, leaving the defaults out', () => {
    const view: LeadsView = {
      sort: 'LAST_ACTIVITY',
      order: 'ASC',
      page: 3,
      size: 100,
      minScore: 40,
      ownerId: 'u-2',
      status: 'WORKING',
      search: 'acme corp',
    };
    const params = viewToParams(view);
    expect(params.toString()).toBe(
      'sort=activity&order=asc&minScore=40&owner=u-2&status=WORKING&q=acme+corp&size=100&page=3',
    );
    expect(parseView(params)).toEqual(view);
    expect(viewToParams(DEFAULT_VIEW).toString()).toBe('');
  });
});

describe('transitions', () => {
  const onPage3: LeadsView = { ...DEFAULT_VIEW, page: 3 };

  it('a filter change, the page size and the sort go back to page 1', () => {
    expect(withFilters(onPage3, { status: 'LOST' })).toMatchObject({ status: 'LOST', page: 1 });
    expect(withSize(onPage3, 50)).toMatchObject({ size: 50, page: 1 });
    expect(withSort(onPage3, 'LAST_ACTIVITY').page).toBe(1);
  });

  it('the active column toggles; another starts descending', () => {
    expect(withSort(DEFAULT_VIEW, 'SCORE')).toMatchObject({ sort: 'SCORE', order: 'ASC' });
    const asc = { ...DEFAULT_VIEW, order: 'ASC' as const };
    expect(withSort(asc, 'SCORE')).toMatchObject({ sort: 'SCORE', order: 'DESC' });
    expect(withSort(asc, 'LAST_ACTIVITY')).toMatchObject({
      sort: 'LAST_ACTIVITY',
      order: 'DESC',
    });
  });

  it('clears the filters, keeping sort and page size', () => {
    const view: LeadsView = {
      ...DEFAULT_VIEW,
      sort: 'LAST_ACTIVITY',
      size: 50,
      page: 2,
      minScore: 10,
      status: 'NEW',
      search: 'x',
      ownerId: 'u',
    };
    expect(withoutFilters(view)).toEqual({
      ...DEFAULT_VIEW,
      sort: 'LAST_ACTIVITY',
      size: 50,
    });
    expect(withPage(view, 0).page).toBe(1);
  });
});

describe('variables', () => {
  const view: LeadsView = {
    ...DEFAULT_VIEW,
    minScore: 0,
    ownerId: 'u-2',
    status: 'NEW',
    search: 'bo',
  };

  it('sends every set filter to managers, and no owner for reps', () => {
    expect(leadsVariables(view, { canFilterOwner: true })).toEqual({
      filter: { minScore: 0, ownerId: 'u-2', status: 'NEW', search: 'bo' },
      sort: 'SCORE',
      order: 'DESC',
      page: 1,
      limit: 25,
    });
    expect(leadsVariables(view, { canFilterOwner: false }).filter).toEqual({
      minScore: 0,
      status: 'NEW',
      search: 'bo',
    });
    expect(leadsVariables(DEFAULT_VIEW, { canFilterOwner: true })).toEqual({
      sort: 'SCORE',
      order: 'DESC',
      page: 1,
      limit: 25,
    });
  });

  it('gives the subscription the filters it understands', () => {
    expect(subscriptionVariables(view, { canFilterOwner: true })).toEqual({
      minScore: 0,
      ownerId: 'u-2',
    });
    expect(subscriptionVariables(view, { canFilterOwner: false })).toEqual({ minScore: 0 });
    expect(subscriptionVariables(DEFAULT_VIEW, { canFilterOwner: true })).toEqual({});
  });

  it('knows when filters are set', () => {
    expect(hasFilters(DEFAULT_VIEW, { canFilterOwner: true })).toBe(false);
    const ownerOnly = { ...DEFAULT_VIEW, ownerId: 'u' };
    expect(hasFilters(ownerOnly, { canFilterOwner: true })).toBe(true);
    expect(hasFilters(ownerOnly, { canFilterOwner: false })).toBe(false);
  });
});
