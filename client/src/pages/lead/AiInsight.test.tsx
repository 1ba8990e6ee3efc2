import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { AiInsight, POLL_MS, QUIET_MS } from './AiInsight';
import { latestInsight, type Insight } from './aiInsight';
import { AiInsightView } from './AiInsightView';
import { INSIGHT_READY, LEAD_INSIGHT, REQUEST_INSIGHT } from './operations';
import { renderWithApollo } from './testUtils';

const LEAD = 'crm-42';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const content = {
  __typename: 'InsightContentModel' as const,
  summary: 'Ada is an engaged retail lead who opened most recent emails.',
  nextBestAction: 'Call Ada this week to offer a demo.',
  talkingPoints: ['Opened 12 emails', 'Visited the pricing page three times'],
  risks: ['No activity for two weeks'],
  fitEstimate: 72,
};

const oldContent = {
  ...content,
  summary: 'Ada looked lukewarm last month.',
};

const usage = {
  __typename: 'InsightUsage' as const,
  promptTokens: 1000,
  completionTokens: 234,
  totalTokens: 1234,
};

function insightOf(overrides: Partial<Insight> = {}): Insight {
  const value = {
    __typename: 'LeadInsight' as const,
    leadId: LEAD,
    status: 'READY' as const,
    current: true,
    insight: content,
    source: 'OPENAI' as const,
    fallbackReason: null,
    model: 'gpt-4o-mini',
    usage,
    latencyMs: 2345,
    score: 79,
    generatedAt: minutesAgo(5),
    requestedAt: minutesAgo(6),
    failure: null,
    ...overrides,
  };
  return value;
}

const queued = (overrides: Partial<Insight> = {}) =>
  insightOf({
    status: 'QUEUED',
    current: false,
    insight: null,
    source: null,
    model: null,
    usage: null,
    latencyMs: null,
    score: null,
    generatedAt: null,
    requestedAt: minutesAgo(0),
    ...overrides,
  });

const insightQuery = (leadInsight: Insight | null) => ({
  request: { query: LEAD_INSIGHT, variables: { leadId: LEAD } },
  result: { data: { leadInsight } },
});

const requestMutation = (answer: Insight, called: () => void) => ({
  request: { query: REQUEST_INSIGHT, variables: { leadId: LEAD } },
  result: () => {
    called();
    return { data: { requestInsight: answer } };
  },
});

const silentSubscription = {
  request: { query: INSIGHT_READY, variables: { leadId: LEAD } },
  result: { data: undefined },
  delay: Number.POSITIVE_INFINITY,
};

const readyEvent = (insightReady: Insight, delay = 50) => ({
  request: { query: INSIGHT_READY, variables: { leadId: LEAD } },
  result: { data: { insightReady } },
  delay,
});

const noop = () => {};

describe('AiInsightView', () => {
  it('shows an OpenAI insight: source, fit estimate beside the score, lists', () => {
    render(<AiInsightView insight={insightOf()} score={79} onRefresh={noop} />);
    const section = screen.getByRole('region', { name: 'AI insight' });
    expect(within(section).getByRole('heading', { level: 2, name: 'AI insight' })).toBeVisible();
    expect(screen.getByText(/^Written by OpenAI/)).toHaveTextContent(
      /^Written by OpenAI \(gpt-4o-mini\) · 5 minutes ago$/,
    );
    expect(screen.getByText('1,234 tokens (1,000 prompt, 234 completion) · 2.3 s')).toBeVisible();
    expect(screen.queryByText('Fallback')).not.toBeInTheDocument();

    expect(screen.getByText(content.summary)).toBeVisible();
    expect(screen.getByText(/^Fit estimate 72 \/ 100/).parentElement).toHaveTextContent(
      'Fit estimate 72 / 100 (AI’s judgement; the model score is 79)',
    );
    expect(screen.getByRole('heading', { level: 3, name: 'Next best action' })).toBeVisible();
    expect(screen.getByText(content.nextBestAction)).toBeVisible();

    const points = screen.getByRole('list', { name: 'Talking points' });
    expect(
      within(points)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(content.talkingPoints);
    const risks = screen.getByRole('list', { name: 'Risks' });
    expect(within(risks).getByRole('listitem')).toHaveTextContent('No activity for two weeks');

    expect(screen.getByRole('status')).toHaveTextContent('');
    expect(screen.queryByText('Out of date')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh insight' })).toBeEnabled();
  });

  it('says when the score moved since the insight was written', () => {
    render(<AiInsightView insight={insightOf({ score: 61.1 })} score={79} onRefresh={noop} />);
    expect(screen.getByText(/^Fit estimate/).parentElement).toHaveTextContent(
      'the model score is 79; it was 61.1 when this was written',
    );
  });

  it('marks a fallback insight with a badge and the reason', () => {
    const fallback = insightOf({
      source: 'FALLBACK',
      model: null,
      usage: null,
      latencyMs: 12,
      fallbackReason: 'no OPENAI_API_KEY configured',
      insight: { ...content, risks: [] },
    });
    render(<AiInsightView insight={fallback} score={79} onRefresh={noop} />);
    expect(screen.getByText('Fallback')).toBeVisible();
    expect(
      screen.getByText(/Built from the score breakdown without AI: no OPENAI_API_KEY configured/),
    ).toBeVisible();
    expect(screen.queryByText(/Written by OpenAI/)).not.toBeInTheDocument();
    expect(screen.getByText('12 ms')).toBeVisible();
    expect(screen.getByText(/^Fit estimate/).parentElement).toHaveTextContent(
      'Fit estimate 72 / 100 (the fallback’s estimate, not AI; the model score is 79)',
    );
    expect(screen.getByText('No risks noted')).toBeVisible();
    expect(screen.queryByRole('list', { name: 'Risks' })).not.toBeInTheDocument();
  });

  it('while queued, says it is writing and keeps the previous insight marked out of date', () => {
    const stale = queued({ insight: oldContent, current: false, source: 'OPENAI', model: 'x' });
    render(<AiInsightView insight={stale} score={79} onRefresh={noop} />);
    expect(screen.getByRole('status')).toHaveTextContent('Writing the insight…');
    expect(screen.getByText('Out of date')).toBeVisible();
    expect(screen.getByText(/A new one is being written/)).toBeVisible();
    expect(screen.getByText(oldContent.summary)).toBeVisible();
    expect(screen.getByRole('button', { name: 'Refresh insight' })).toBeDisabled();
  });

  it('shows a failure with a retry that asks again', async () => {
    const user = userEvent.setup();
    const onRefresh = vi.fn();
    const failed = queued({ status: 'FAILED', failure: 'the lead could not be read' });
    render(<AiInsightView insight={failed} score={79} onRefresh={onRefresh} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The insight could not be written: the lead could not be read');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(onRefresh).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Refresh insight' })).toBeEnabled();
  });

  it('shows errors with the shared error state and its retry', async () => {
    const user = userEvent.setup();
    const onRetry = vi.fn();
    render(
      <AiInsightView
        insight={null}
        score={79}
        error={new Error('network down')}
        onRetryError={onRetry}
        onRefresh={noop}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('network down');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});

describe('latestInsight', () => {
  it('prefers the later request, then the further status', () => {
    const older = insightOf({ requestedAt: '2026-12-01T10:00:00.000Z' });
    const newer = queued({ requestedAt: '2026-12-02T10:00:00.000Z' });
    expect(latestInsight(older, newer)).toBe(newer);
    expect(latestInsight(newer, older)).toBe(newer);
    const written = insightOf({ requestedAt: newer.requestedAt });
    expect(latestInsight(newer, written)).toBe(written);
    expect(latestInsight(written, queued({ requestedAt: newer.requestedAt }))).toBe(written);
    expect(latestInsight(null, undefined)).toBeNull();
  });
});

describe('AiInsight', () => {
  it('asks for an insight when there is none, then shows the one insightReady brings', async () => {
    const requested = vi.fn();
    renderWithApollo(<AiInsight leadId={LEAD} score={79} />, {
      mocks: [
        insightQuery(null),
        requestMutation(queued(), requested),
        readyEvent(insightOf({ requestedAt: minutesAgo(0), generatedAt: minutesAgo(0) }), 100),
      ],
    });
    expect(await screen.findByText('Writing the insight…')).toBeVisible();
    expect(requested).toHaveBeenCalledTimes(1);
    expect(await screen.findByText(content.summary)).toBeVisible();
    expect(screen.getByRole('status')).toHaveTextContent('');
    expect(screen.getByText(/^Written by OpenAI/)).toHaveTextContent(
      /^Written by OpenAI \(gpt-4o-mini\) · just now$/,
    );
    expect(requested).toHaveBeenCalledTimes(1);
  });

  it('asks again when the stored insight is stale, keeping it shown as out of date', async () => {
    const requested = vi.fn();
    const stale = insightOf({ current: false, insight: oldContent });
    renderWithApollo(<AiInsight leadId={LEAD} score={79} />, {
      mocks: [
        insightQuery(stale),
        requestMutation({ ...stale, status: 'QUEUED', requestedAt: minutesAgo(0) }, requested),
        silentSubscription,
      ],
    });
    expect(await screen.findByText('Writing the insight…')).toBeVisible();
    expect(requested).toHaveBeenCalledTimes(1);
    expect(screen.getByText(oldContent.summary)).toBeVisible();
    expect(screen.getByText('Out of date')).toBeVisible();
    expect(screen.getByRole('button', { name: 'Refresh insight' })).toBeDisabled();
  });

  it('does not ask when the stored insight is current, and asks on Refresh', async () => {
    const user = userEvent.setup();
    const requested = vi.fn();
    renderWithApollo(<AiInsight leadId={LEAD} score={79} />, {
      mocks: [
        insightQuery(insightOf()),
        requestMutation(insightOf(), requested),
        silentSubscription,
      ],
    });
    expect(await screen.findByText(content.summary)).toBeVisible();
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(requested).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Refresh insight' }));
    await waitFor(() => expect(requested).toHaveBeenCalledTimes(1));
    expect(await screen.findByText(content.summary)).toBeVisible();
  });

  it('polls leadInsight every 3 s when no event comes within 5 s', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const requested = vi.fn();
      const pending = queued();
      renderWithApollo(<AiInsight leadId={LEAD} score={79} />, {
        mocks: [
          insightQuery(null),
          requestMutation(pending, requested),
          silentSubscription,
          insightQuery(insightOf({ requestedAt: pending.requestedAt, generatedAt: minutesAgo(0) })),
        ],
      });
      expect(await screen.findByText('Writing the insight…')).toBeVisible();
      await act(() => vi.advanceTimersByTimeAsync(QUIET_MS - 100));
      expect(screen.queryByText(content.summary)).not.toBeInTheDocument();
      // The subscription's grace period ends: polling starts; the first poll comes POLL_MS later.
      await act(() => vi.advanceTimersByTimeAsync(100));
      await act(() => vi.advanceTimersByTimeAsync(POLL_MS - 100));
      expect(screen.queryByText(content.summary)).not.toBeInTheDocument();
      await act(() => vi.advanceTimersByTimeAsync(150));
      expect(await screen.findByText(content.summary)).toBeVisible();
      expect(screen.getByRole('status')).toHaveTextContent('');
      expect(requested).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
