/**
 * The app's time per scoring stage (`leadscoring_scoring_stage_seconds`, the sum of each stage's
 * histogram), read from `/metrics` before and after a run: what a batch rescoring spent where.
 */

const STAGE_SUM =
  /^leadscoring_scoring_stage_seconds_sum\{(?:[^}]*,)?stage="([^"]+)"[^}]*\} (\S+)$/;

/** Seconds spent in each stage so far, from a Prometheus text exposition. */
export function parseStageSeconds(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = STAGE_SUM.exec(line.trim());
    if (!match) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) sums.set(match[1], (sums.get(match[1]) ?? 0) + value);
  }
  return sums;
}

/** Milliseconds per 1,000 leads in each stage between two readings, largest first. */
export function stageMsPer1k(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  leads: number,
): [string, number][] {
  if (leads <= 0) return [];
  return [...after]
    .map(([stage, seconds]): [string, number] => [
      stage,
      Math.round((((seconds - (before.get(stage) ?? 0)) * 1000) / leads) * 1000 * 10) / 10,
    ])
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
}

/**
 * The app's stage sums now. Asked twice at most: the first ask of a run often follows seconds of
 * quiet (the engine heap's compaction), and a keep-alive connection the server closes at that
 * moment fails the request before it is sent ("fetch failed"); a GET is safe to send again.
 */
export async function stageSecondsOf(baseUrl: string): Promise<Map<string, number>> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/metrics`);
  } catch {
    response = await fetch(`${baseUrl}/metrics`);
  }
  return parseStageSeconds(await response.text());
}
