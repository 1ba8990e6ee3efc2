import { ANONYMOUS_OPERATION, OperationNameCap, OTHER_OPERATION } from './operation-name-cap';

describe('OperationNameCap', () => {
  it('keeps the names it has room for, and keeps answering them once full', () => {
    const sut = new OperationNameCap({ maxNames: 2 });

    expect(sut.label('Me')).toBe('Me');
    expect(sut.label('Leads')).toBe('Leads');
    expect(sut.label('Third')).toBe(OTHER_OPERATION);
    expect(sut.label('Me')).toBe('Me');
    expect(sut.label('Leads')).toBe('Leads');
  });

  it.each([undefined, null, ''])('calls an unnamed operation (%p) anonymous', (name) => {
    expect(new OperationNameCap().label(name)).toBe(ANONYMOUS_OPERATION);
  });

  it('does not spend room on names too long, or that no document could hold', () => {
    const sut = new OperationNameCap({ maxNames: 1, maxLength: 8 });

    expect(sut.label('LongerThanEight')).toBe(OTHER_OPERATION);
    expect(sut.label('a"b')).toBe(OTHER_OPERATION);
    expect(sut.label('1abc')).toBe(OTHER_OPERATION);
    expect(sut.label('Short')).toBe('Short');
  });

  it('holds 200 distinct names by default', () => {
    const sut = new OperationNameCap();
    const labels = Array.from({ length: 250 }, (_, i) => sut.label(`Op${i}`));

    expect(new Set(labels).size).toBe(201);
    expect(labels[199]).toBe('Op199');
    expect(labels[200]).toBe(OTHER_OPERATION);
  });
});
