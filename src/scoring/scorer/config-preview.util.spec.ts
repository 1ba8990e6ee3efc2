import { PriorityTier } from './priority-tier.util';
import { bucketOf, median, PreviewConfig, previewConfig } from './config-preview.util';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;

const current: PreviewConfig = {
  parameters: { weights: [0.5, 0.3, 0.2], caps: [10, 5, 600], halfLifeDays: 7 },
  thresholds: { hot: 70, warm: 40 },
};
const proposed: PreviewConfig = {
  parameters: { weights: [1, 0, 0], caps: [10, 5, 600], halfLifeDays: 7 },
  thresholds: { hot: 60, warm: 50 },
};

const leads = [
  // Every cap reached today: 100 under both.
  { emailOpens: 10, websiteVisits: 5, timeSpentSeconds: 600, lastActivityAt: NOW },
  // Half the opens' cap today: 0.5 × 0.5 = 25 now, 0.5 × 1 = 50 proposed.
  { emailOpens: 5, websiteVisits: 0, timeSpentSeconds: 0, lastActivityAt: NOW },
  // Never active: 0 under both.
  { emailOpens: 0, websiteVisits: 0, timeSpentSeconds: 0, lastActivityAt: null },
  // Opens capped one half-life ago: 0.5 × 0.5 = 25 now, 1 × 0.5 = 50 proposed.
  {
    emailOpens: 12,
    websiteVisits: 0,
    timeSpentSeconds: 0,
    lastActivityAt: new Date(NOW.getTime() - 7 * DAY),
  },
];

describe('previewConfig', () => {
  it('scores every lead under both configurations at the same instant (hand-worked)', () => {
    const preview = previewConfig(leads, current, proposed, NOW);
    expect(preview.leads).toBe(4);
    // Scores now [100, 25, 0, 25]; proposed [100, 50, 0, 50].
    expect(preview.current.buckets.map((b) => b.count)).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 0, 1]);
    expect(preview.proposed.buckets.map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 2, 0, 0, 0, 1]);
    expect(preview.current.buckets[2]).toEqual({ from: 20, to: 30, count: 2 });
    expect(preview.current).toMatchObject({
      tiers: { hot: 1, warm: 0, cold: 3 },
      mean: 37.5,
      median: 25,
    });
    // The proposed thresholds (60/50) apply to the proposed scores.
    expect(preview.proposed).toMatchObject({
      tiers: { hot: 1, warm: 2, cold: 1 },
      mean: 50,
      median: 50,
    });
    expect(preview.tierMoves).toEqual([
      { from: PriorityTier.COLD, to: PriorityTier.WARM, count: 2 },
    ]);
    expect(preview.changed).toBe(2);
  });

  it('the same configuration moves nothing', () => {
    const preview = previewConfig(leads, current, current, NOW);
    expect(preview.tierMoves).toEqual([]);
    expect(preview.changed).toBe(0);
    expect(preview.proposed).toEqual(preview.current);
  });

  it('no leads: empty buckets, zero mean and median', () => {
    const preview = previewConfig([], current, proposed, NOW);
    expect(preview.current.buckets.every((b) => b.count === 0)).toBe(true);
    expect(preview.current).toMatchObject({ mean: 0, median: 0 });
  });
});

describe('bucketOf and median', () => {
  it('puts 100 in the last bucket and bucket edges in the upper bucket', () => {
    expect([0, 9.99, 10, 55, 90, 100].map(bucketOf)).toEqual([0, 0, 1, 5, 9, 9]);
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median(Float64Array.from([1, 2, 9]))).toBe(2);
    expect(median(Float64Array.from([1, 2, 4, 9]))).toBe(3);
    expect(median(new Float64Array(0))).toBe(0);
  });
});
