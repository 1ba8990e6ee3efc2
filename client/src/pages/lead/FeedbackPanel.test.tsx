import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { FeedbackPanel } from './FeedbackPanel';
import { MY_FEEDBACK, SUBMIT_FEEDBACK } from './operations';
import { renderWithApollo, TEST_USER } from './testUtils';

const feedbackQuery = (items: unknown[]) => ({
  request: { query: MY_FEEDBACK, variables: { leadId: 'crm-42', userId: TEST_USER.id } },
  result: { data: { feedback: { __typename: 'FeedbackPage', items } } },
});

const saved = (rating: string, comment: string | null) => ({
  __typename: 'Feedback',
  id: 'fb-1',
  rating,
  comment,
  submittedAt: '2026-12-03T10:00:00.000Z',
});

function buttons() {
  const group = screen.getByRole('group', { name: 'Rate this score' });
  return {
    tooHigh: within(group).getByRole('button', { name: 'Too high' }),
    aboutRight: within(group).getByRole('button', { name: 'About right' }),
    tooLow: within(group).getByRole('button', { name: 'Too low' }),
  };
}

describe('FeedbackPanel', () => {
  it('presses the current rating from the feedback query', async () => {
    renderWithApollo(<FeedbackPanel leadId="crm-42" userId={TEST_USER.id} />, {
      mocks: [feedbackQuery([saved('TOO_HIGH', null)])],
    });
    await screen.findByText(/your current rating/i);
    const { tooHigh, aboutRight, tooLow } = buttons();
    expect(tooHigh).toHaveAttribute('aria-pressed', 'true');
    expect(aboutRight).toHaveAttribute('aria-pressed', 'false');
    expect(tooLow).toHaveAttribute('aria-pressed', 'false');
  });

  it('submits the rating with the comment and confirms it', async () => {
    const user = userEvent.setup();
    const submitted = vi.fn();
    renderWithApollo(<FeedbackPanel leadId="crm-42" userId={TEST_USER.id} />, {
      mocks: [
        feedbackQuery([]),
        {
          request: {
            query: SUBMIT_FEEDBACK,
            variables: {
              input: { leadId: 'crm-42', rating: 'TOO_LOW', comment: 'Asked for a demo' },
            },
          },
          result: () => {
            submitted();
            return { data: { submitFeedback: saved('TOO_LOW', 'Asked for a demo') } };
          },
        },
      ],
    });
    expect(buttons().tooLow).toHaveAttribute('aria-pressed', 'false');

    await user.type(screen.getByLabelText('Comment (optional)'), '  Asked for a demo ');
    await user.click(buttons().tooLow);

    expect(await screen.findByText(/your rating “Too low” is saved/i)).toBeVisible();
    expect(submitted).toHaveBeenCalledTimes(1);
    expect(buttons().tooLow).toHaveAttribute('aria-pressed', 'true');
    expect(buttons().tooHigh).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByLabelText('Comment (optional)')).toHaveValue('');
  });

  it('leaves the comment out when it is empty, and shows a refusal', async () => {
    const user = userEvent.setup();
    renderWithApollo(<FeedbackPanel leadId="crm-42" userId={TEST_USER.id} />, {
      mocks: [
        feedbackQuery([]),
        {
          request: {
            query: SUBMIT_FEEDBACK,
            variables: { input: { leadId: 'crm-42', rating: 'ABOUT_RIGHT' } },
          },
          result: { errors: [{ message: 'not your lead', extensions: { code: 'FORBIDDEN' } }] },
        },
      ],
    });
    await user.click(buttons().aboutRight);
    expect(await screen.findByRole('alert')).toHaveTextContent('not your lead');
    expect(buttons().aboutRight).toHaveAttribute('aria-pressed', 'false');
  });
});
