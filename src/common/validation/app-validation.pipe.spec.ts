import type { ArgumentMetadata } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
// Not exported from the package's root.
import { GqlParamtype } from '@nestjs/graphql/dist/enums/gql-paramtype.enum.js';

import { AppException } from '@/common/errors/app.exception';

import {
  AppValidationPipe,
  createValidationPipe,
  isClientInput,
  ValidationDependsOnValueOnly,
} from './app-validation.pipe';

@ValidationDependsOnValueOnly()
class PageArgsLike {
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  @IsOptional()
  @IsString()
  search?: string;
}

class UnmarkedArgs {
  @IsInt()
  @Min(1)
  limit: number = 50;
}

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

describe('the validation pipe remembering values that passed', () => {
  const args = (metatype: unknown): ArgumentMetadata =>
    ({ type: GqlParamtype.ARGS, metatype }) as unknown as ArgumentMetadata;

  function pipeWithCount() {
    const pipe = createValidationPipe() as AppValidationPipe;
    const validate = jest.spyOn(pipe as unknown as { validate: () => unknown }, 'validate');
    return { pipe, validations: () => validate.mock.calls.length };
  }

  it('validates a marked class’s value once, then answers the same value as an instance again', async () => {
    const { pipe, validations } = pipeWithCount();

    const first = await pipe.transform({ limit: 10 }, args(PageArgsLike));
    const second = await pipe.transform({ limit: 10 }, args(PageArgsLike));

    expect(validations()).toBe(1);
    expect(second).toBeInstanceOf(PageArgsLike);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    // Another value is validated (and then remembered too).
    await pipe.transform({ limit: 10, search: 'acme' }, args(PageArgsLike));
    expect(validations()).toBe(2);
  });

  it('refuses an invalid value every time: only values that passed are remembered', async () => {
    const { pipe, validations } = pipeWithCount();

    for (let i = 0; i < 2; i++) {
      const refused = await pipe
        .transform({ limit: 1000 }, args(PageArgsLike))
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppException);
    }
    expect(validations()).toBe(2);
  });

  it('validates every time a class that is not marked', async () => {
    const { pipe, validations } = pipeWithCount();

    await pipe.transform({ limit: 10 }, args(UnmarkedArgs));
    await pipe.transform({ limit: 10 }, args(UnmarkedArgs));

    expect(validations()).toBe(2);
  });

  it('remembers values of a marked class passed as a body (how Nest hands GraphQL arguments to pipes)', async () => {
    const { pipe, validations } = pipeWithCount();
    const body = { type: 'body', metatype: PageArgsLike } as ArgumentMetadata;

    await pipe.transform({ limit: 10 }, body);
    const again = await pipe.transform({ limit: 10 }, body);

    expect(validations()).toBe(1);
    expect(again).toBeInstanceOf(PageArgsLike);
  });

  it('does not remember values whose JSON hides what they are (dates, undefined, NaN)', async () => {
    const { pipe, validations } = pipeWithCount();
    for (const search of [new Date(0), undefined]) {
      await pipe.transform({ limit: 10, search }, args(PageArgsLike)).catch(() => undefined);
      await pipe.transform({ limit: 10, search }, args(PageArgsLike)).catch(() => undefined);
    }
    await pipe.transform({ limit: NaN }, args(PageArgsLike)).catch(() => undefined);
    await pipe.transform({ limit: NaN }, args(PageArgsLike)).catch(() => undefined);

    expect(validations()).toBe(6);
  });

  it('remembers GraphQL-style argument objects without a prototype', async () => {
    const { pipe, validations } = pipeWithCount();
    const value = Object.assign(Object.create(null) as object, { limit: 10 });

    await pipe.transform(value, args(PageArgsLike));
    await pipe.transform(value, args(PageArgsLike));

    expect(validations()).toBe(1);
  });

  it('does not remember long values', async () => {
    const { pipe, validations } = pipeWithCount();
    const value = { limit: 10, search: 'x'.repeat(600) };

    await pipe.transform(value, args(PageArgsLike));
    await pipe.transform(value, args(PageArgsLike));

    expect(validations()).toBe(2);
  });
});
