import { render, screen } from '@testing-library/react';

import type { AdminDatasetBuildFragment } from '../../../gql/graphql';
import { BuildStatus } from './BuildStatus';

const running: AdminDatasetBuildFragment = {
  id: 'b1',
  status: 'RUNNING',
  stage: 'READING',
  rowsRead: 2500,
  totalRows: 10000,
  reused: false,
  createdAt: '2025-06-01T10:00:00Z',
  finishedAt: null,
  error: null,
  version: null,
};

describe('BuildStatus', () => {
  it('shows the stage and rows read with a progress bar', () => {
    render(<BuildStatus build={running} />);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Reading closed leads: 2,500 of 10,000 rows read (25%)',
    );
    expect(screen.getByRole('progressbar', { name: 'Dataset build progress' })).toHaveAttribute(
      'value',
      '0.25',
    );
  });

  it('explains a failure with its code and fields', () => {
    render(
      <BuildStatus
        build={{
          ...running,
          status: 'FAILED',
          error: {
            code: 'BAD_USER_INPUT',
            message: 'no closed lead matches the filter',
            fields: [{ path: 'input.filter', messages: ['no lead'] }],
          },
        }}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The dataset version could not be built.');
    expect(alert).toHaveTextContent('no closed lead matches the filter (BAD_USER_INPUT)');
    expect(alert).toHaveTextContent('input.filter: no lead');
  });

  it('names the version made, or the one reused', () => {
    const version = { id: 'v9', name: 'July', rowCount: 1234 };
    const { rerender } = render(
      <BuildStatus build={{ ...running, status: 'COMPLETED', version }} />,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Created “July” with 1,234 rows.');
    rerender(<BuildStatus build={{ ...running, status: 'COMPLETED', version, reused: true }} />);
    expect(screen.getByRole('status')).toHaveTextContent(/already made “July”/);
  });
});
