import { rankedScoreFilter } from './ranked-score-filter.util';

describe('rankedScoreFilter', () => {
  it('names only the filters given', () => {
    expect(rankedScoreFilter({})).toEqual({});
    expect(rankedScoreFilter({ minScore: 0, ownerId: 'rep-1', status: 'NEW' })).toEqual({
      score: { $gte: 0 },
      ownerId: 'rep-1',
      status: 'NEW',
    });
  });

  it('searches the lower-cased text literally: regex characters are escaped', () => {
    expect(rankedScoreFilter({ search: 'A.B*(c)' })).toEqual({
      searchText: { $regex: 'a\\.b\\*\\(c\\)' },
    });
    expect(rankedScoreFilter({ search: '' })).toEqual({});
  });
});
