import {
  INSIGHT_JSON_SCHEMA,
  INSIGHT_LIMITS,
  parseInsight,
  validateInsight,
} from './insight-schema';

const valid = {
  summary: 'HOT lead: score 76.08 of 100.',
  nextBestAction: 'Call today.',
  talkingPoints: ['12 email opens.', '4 website visits.'],
  risks: [],
  fitEstimate: 76,
};

function parse(value: unknown) {
  return parseInsight(JSON.stringify(value));
}

function reasonOf(result: ReturnType<typeof parseInsight>): string {
  return result.ok ? 'ok' : result.reason;
}

describe('INSIGHT_JSON_SCHEMA', () => {
  it('follows the strict-mode rules', () => {
    const schema = INSIGHT_JSON_SCHEMA;
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
    expect(schema.properties.talkingPoints).toMatchObject({
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      maxItems: 5,
    });
    expect(schema.properties.risks).toMatchObject({
      type: 'array',
      items: { type: 'string' },
      minItems: 0,
      maxItems: 5,
    });
    expect(schema.properties.fitEstimate).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 100,
    });
    // JSON-serializable as is (it goes into the request body).
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('uses no string length keywords (not accepted by strict mode; parseInsight enforces them)', () => {
    expect(JSON.stringify(INSIGHT_JSON_SCHEMA)).not.toMatch(/minLength|maxLength/);
    expect(INSIGHT_JSON_SCHEMA.properties.summary.description).toContain('600');
    expect(INSIGHT_JSON_SCHEMA.properties.nextBestAction.description).toContain('300');
  });
});

describe('parseInsight', () => {
  it('accepts a valid insight and trims its strings', () => {
    const result = parse({
      ...valid,
      summary: '  HOT lead.  ',
      talkingPoints: ['\tone\n', 'two'],
      risks: [' late '],
    });
    expect(result).toEqual({
      ok: true,
      value: {
        summary: 'HOT lead.',
        nextBestAction: 'Call today.',
        talkingPoints: ['one', 'two'],
        risks: ['late'],
        fitEstimate: 76,
      },
    });
  });

  it('accepts the limits exactly: 600, 300, 200 characters, 5 items, 0 and 100', () => {
    const result = parse({
      summary: 's'.repeat(600),
      nextBestAction: 'n'.repeat(300),
      talkingPoints: Array.from({ length: 5 }, () => 't'.repeat(200)),
      risks: Array.from({ length: 5 }, () => 'r'.repeat(200)),
      fitEstimate: 100,
    });
    expect(result.ok).toBe(true);
    expect(parse({ ...valid, fitEstimate: 0 }).ok).toBe(true);
    // 85.0 is the integer 85 in JSON.
    expect(
      parseInsight(JSON.stringify(valid).replace('"fitEstimate":76', '"fitEstimate":85.0')),
    ).toMatchObject({
      ok: true,
      value: { fitEstimate: 85 },
    });
  });

  it('rejects malformed JSON without throwing', () => {
    expect(reasonOf(parseInsight('{"summary": '))).toMatch(/^malformed JSON: /);
    expect(reasonOf(parseInsight(''))).toMatch(/^malformed JSON: /);
    expect(reasonOf(parseInsight('Sure! Here is the JSON: {}'))).toMatch(/^malformed JSON: /);
    expect(reasonOf(parseInsight(undefined as unknown as string))).toBe(
      'malformed JSON: not a string',
    );
  });

  it('rejects a root that is not an object', () => {
    for (const text of ['[]', 'null', '42', '"text"']) {
      expect(reasonOf(parseInsight(text))).toBe('schema: the insight is not a JSON object');
    }
  });

  it('names a missing field', () => {
    const { risks: _risks, ...rest } = valid;
    expect(reasonOf(parse(rest))).toBe('schema: risks is missing');
  });

  it('rejects an extra field', () => {
    expect(reasonOf(parse({ ...valid, score: 100 }))).toBe('schema: unexpected field "score"');
    expect(reasonOf(parseInsight(JSON.stringify(valid).replace('{', '{"__proto__":{},')))).toBe(
      'schema: unexpected field "__proto__"',
    );
  });

  it('rejects wrong types', () => {
    expect(reasonOf(parse({ ...valid, summary: 42 }))).toBe('schema: summary is not a string');
    expect(reasonOf(parse({ ...valid, nextBestAction: null }))).toBe(
      'schema: nextBestAction is not a string',
    );
    expect(reasonOf(parse({ ...valid, talkingPoints: 'one' }))).toBe(
      'schema: talkingPoints is not an array',
    );
    expect(reasonOf(parse({ ...valid, risks: ['ok', 3] }))).toBe(
      'schema: risks[1] is not a string',
    );
    expect(reasonOf(parse({ ...valid, fitEstimate: '76' }))).toBe(
      'schema: fitEstimate is not a number',
    );
    expect(reasonOf(parse({ ...valid, fitEstimate: 76.5 }))).toBe(
      'schema: fitEstimate is not an integer',
    );
  });

  it('rejects a fit estimate out of range', () => {
    expect(reasonOf(parse({ ...valid, fitEstimate: 101 }))).toBe(
      'schema: fitEstimate out of range 0–100',
    );
    expect(reasonOf(parse({ ...valid, fitEstimate: -1 }))).toBe(
      'schema: fitEstimate out of range 0–100',
    );
  });

  it('rejects too many or too few items', () => {
    expect(reasonOf(parse({ ...valid, talkingPoints: ['1', '2', '3', '4', '5', '6'] }))).toBe(
      'schema: talkingPoints has more than 5 items',
    );
    expect(reasonOf(parse({ ...valid, talkingPoints: [] }))).toBe(
      'schema: talkingPoints has fewer than 1 items',
    );
    expect(reasonOf(parse({ ...valid, risks: ['1', '2', '3', '4', '5', '6'] }))).toBe(
      'schema: risks has more than 5 items',
    );
  });

  it('rejects strings too long (after trimming) or empty', () => {
    expect(reasonOf(parse({ ...valid, summary: 's'.repeat(601) }))).toBe(
      'schema: summary longer than 600 characters',
    );
    expect(reasonOf(parse({ ...valid, summary: ` ${'s'.repeat(600)} ` }))).toBe('ok');
    expect(reasonOf(parse({ ...valid, nextBestAction: 'n'.repeat(301) }))).toBe(
      'schema: nextBestAction longer than 300 characters',
    );
    expect(reasonOf(parse({ ...valid, talkingPoints: ['a', 'b', 't'.repeat(201)] }))).toBe(
      'schema: talkingPoints[2] longer than 200 characters',
    );
    expect(reasonOf(parse({ ...valid, risks: ['r'.repeat(201)] }))).toBe(
      'schema: risks[0] longer than 200 characters',
    );
    expect(reasonOf(parse({ ...valid, summary: '   ' }))).toBe('schema: summary is empty');
    expect(reasonOf(parse({ ...valid, talkingPoints: ['ok', '\n'] }))).toBe(
      'schema: talkingPoints[1] is empty',
    );
  });

  it('reports the first problem in schema order', () => {
    expect(reasonOf(parse({ ...valid, summary: 1, fitEstimate: 500, extra: true }))).toBe(
      'schema: summary is not a string',
    );
  });

  it('validateInsight checks values already parsed (e.g. read back from a cache)', () => {
    expect(validateInsight(valid)).toEqual({ ok: true, value: valid });
    expect(validateInsight(new Date())).toEqual({
      ok: false,
      reason: 'schema: the insight is not a JSON object',
    });
    expect(INSIGHT_LIMITS.summaryMaxLength).toBe(600);
  });
});
