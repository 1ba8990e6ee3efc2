import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';

/** Renders a page piece with mocked GraphQL answers and a router. */
export function renderWithApi(
  ui: ReactElement,
  { mocks = [], route = '/' }: { mocks?: MockLink.MockedResponse[]; route?: string } = {},
) {
  return render(
    <MockedProvider mocks={mocks}>
      <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
    </MockedProvider>,
  );
}
