import { getOperationAST, parse } from 'graphql';

import { describeOperation, operationOutcome } from './graphql-operation-labels.util';

describe('describeOperation', () => {
  const document = parse(`
    query Me { me { id } }
    mutation Rescore { rescoreLeads { id } }
    subscription Live { leadScoreChanged { leadId } }
  `);

  it('reads the operation Apollo resolved', () => {
    const operation = getOperationAST(document, 'Rescore');

    expect(describeOperation({ operation, document })).toEqual({
      name: 'Rescore',
      type: 'mutation',
    });
  });

  it('finds the named operation in a document Apollo did not resolve (invalid)', () => {
    expect(describeOperation({ document, operationName: 'Live' })).toEqual({
      name: 'Live',
      type: 'subscription',
    });
  });

  it('leaves an unnamed operation without a name', () => {
    expect(describeOperation({ document: parse('{ me { id } }') })).toEqual({
      name: undefined,
      type: 'query',
    });
  });

  it('answers unknown without a document, or without the operation asked for', () => {
    expect(describeOperation({ operationName: 'Me' })).toEqual({
      name: undefined,
      type: 'unknown',
    });
    expect(describeOperation({ document, operationName: 'Absent' })).toEqual({
      name: undefined,
      type: 'unknown',
    });
    // Several operations and none chosen: graphql cannot tell which would run.
    expect(describeOperation({ document })).toEqual({ name: undefined, type: 'unknown' });
  });
});

describe('operationOutcome', () => {
  it('is ok without errors', () => {
    expect(operationOutcome(undefined)).toBe('ok');
    expect(operationOutcome([])).toBe('ok');
  });

  it("is the first error's code", () => {
    expect(
      operationOutcome([
        { extensions: { code: 'UNAUTHENTICATED' } },
        { extensions: { code: 'NOT_FOUND' } },
      ]),
    ).toBe('UNAUTHENTICATED');
  });

  it('is error for a missing code or one outside the stable set (bounded values)', () => {
    expect(operationOutcome([{}])).toBe('error');
    expect(operationOutcome([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }])).toBe('error');
    expect(operationOutcome([{ extensions: { code: 42 } }])).toBe('error');
  });
});
