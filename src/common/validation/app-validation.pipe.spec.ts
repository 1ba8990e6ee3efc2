import type { ArgumentMetadata } from '@nestjs/common';
// Not exported from the package's root.
import { GqlParamtype } from '@nestjs/graphql/dist/enums/gql-paramtype.enum.js';

import { AppException } from '@/common/errors/app.exception';

import { createValidationPipe, isClientInput } from './app-validation.pipe';

/** A value with a key class-transformer would choke on, nested past any input type of ours. */
function unsafeValue(): Record<string, unknown> {
  const value = JSON.parse('{"attributes": {"__proto__": {"polluted": true}}}') as Record<
    string,
    unknown
  >;
  let deep: Record<string, unknown> = {};
  value.deep = deep;
  for (let i = 0; i < 200; i++) {
    const next: Record<string, unknown> = {};
    deep.next = next;
    deep = next;
  }
  return value;
}

describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  const meta = (type: unknown): ArgumentMetadata =>
    ({ type, metatype: Object }) as unknown as ArgumentMetadata;

  it('refuses prototype keys and deep nesting in what a client sends: REST and GraphQL arguments', async () => {
    for (const type of ['body', 'query', 'param', GqlParamtype.ARGS]) {
      const refused = await pipe.transform(unsafeValue(), meta(type)).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppException);
      expect((refused as AppException).message).toMatch(/__proto__.*is not allowed|nested deeper/);
    }
  });

  it('leaves alone what the server gives a resolver: GraphQL context, info, parent, custom decorators', async () => {
    for (const type of [GqlParamtype.CONTEXT, GqlParamtype.INFO, GqlParamtype.ROOT, 'custom']) {
      const value = unsafeValue();
      await expect(pipe.transform(value, meta(type))).resolves.toBe(value);
    }
  });

  it('tells client input by its parameter type', () => {
    expect(['body', 'query', 'param', GqlParamtype.ARGS].map(isClientInput)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      [GqlParamtype.CONTEXT, GqlParamtype.INFO, GqlParamtype.ROOT, 'custom'].map(isClientInput),
    ).toEqual([false, false, false, false]);
  });
});
