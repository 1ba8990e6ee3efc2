import { describe, expect, it } from '@jest/globals';

import { RowCounter, spanRss } from './export.util';

describe('RowCounter', () => {
  it('counts CSV records, not the header nor CRLFs inside quotes, across chunks', () => {
    const sut = new RowCounter('csv');
    for (const chunk of ['a,b\r\n1,"x\r', '\ny"\r\n2,', 'z\r\n']) sut.push(chunk);
    expect(sut.rows()).toBe(2);
  });

  it('counts NDJSON lines', () => {
    const sut = new RowCounter('ndjson');
    sut.push('{"a":1}\n{"a"');
    sut.push(':2}\n');
    expect(sut.rows()).toBe(2);
  });
});

describe('spanRss', () => {
  it('takes the reading before the span and the largest within it, in MB', () => {
    const samples = [
      { atMs: 0, kb: 1024 },
      { atMs: 10, kb: 2048 },
      { atMs: 20, kb: null },
      { atMs: 30, kb: 4096 },
      { atMs: 40, kb: 8192 },
    ];
    expect(spanRss(samples, 10, 30)).toEqual({ beforeMb: 2, maxMb: 4, samples: 2 });
  });
});
