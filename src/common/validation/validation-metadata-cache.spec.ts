import { getMetadataStorage, IsInt, Max, MinLength, validate } from 'class-validator';

import { installValidationMetadataCache } from './validation-metadata-cache';

describe('installValidationMetadataCache', () => {
  installValidationMetadataCache();

  it('answers a class’s rules from the cache, the same array each time', () => {
    class Page {
      @IsInt()
      limit!: number;
    }
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Page, '', false, false);
    expect(first.map((rule) => rule.name)).toEqual(['isInt']);
    expect(storage.getTargetValidationMetadatas(Page, '', false, false)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    // Other options are another entry.
    expect(storage.getTargetValidationMetadatas(Page, '', true, false)).not.toBe(first);
  });

  it('sees a rule registered after a lookup, and inherited rules', async () => {
    class Base {
      @MinLength(3)
      name!: string;
    }
    class Child extends Base {
      @IsInt()
      size!: number;
    }
    const child = Object.assign(new Child(), { name: 'ab', size: 500 });
    expect((await validate(child)).map((error) => error.property)).toEqual(['name']);
    // A decorator applied now (as a class defined later would): the cache is forgotten.
    Max(100)(Child.prototype, 'size');
    const errors = await validate(child);
    expect(errors.find((error) => error.property === 'size')?.constraints).toEqual({
      max: 'size must not be greater than 100',
    });
    expect(errors.map((error) => error.property).sort()).toEqual(['name', 'size']);
  });

  it('is installed once, however often it is called', () => {
    const storage = getMetadataStorage();
    const wrapped = storage.getTargetValidationMetadatas;
    installValidationMetadataCache();
    expect(storage.getTargetValidationMetadatas).toBe(wrapped);
  });
});
