/** Reading `/metrics` (Prometheus text exposition) in tests. */

/** One scrape: each sample's value by metric name and labels (the default role/instance aside). */
export class Scrape {
  private readonly samples: { name: string; labels: Record<string, string>; value: number }[] = [];

  constructor(text: string) {
    for (const line of text.split('\n')) {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) continue;
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
        labels[key] = value;
      this.samples.push({ name: match[1], labels, value: Number(match[3]) });
    }
  }

  /** The sample whose labels include these, or undefined when the series is absent. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    return this.samples.find(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )?.value;
  }

  /** As `value`, with an absent series counting 0 (a counter not yet incremented). */
  count(name: string, labels: Record<string, string> = {}): number {
    return this.value(name, labels) ?? 0;
  }

  /** The sum of every sample of a metric whose labels include these. */
  total(name: string, labels: Record<string, string> = {}): number {
    return this.samples
      .filter(
        (sample) =>
          sample.name === name &&
          Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
      )
      .reduce((sum, sample) => sum + sample.value, 0);
  }
}

/** One sample's value in a scrape's text (0 when the series is absent). */
export function sampleOf(text: string, name: string, labels: Record<string, string> = {}): number {
  return new Scrape(text).count(name, labels);
}

/** The sum of every sample of a metric whose labels include `labels`, in a scrape's text. */
export function totalOf(text: string, name: string, labels: Record<string, string> = {}): number {
  return new Scrape(text).total(name, labels);
}
