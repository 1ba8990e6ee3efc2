import { describe, expect, it } from '@jest/globals';

import { compactEngineHeap, sizeBenchEngineHeap } from './bench-setup.util';

const GIB = 2 ** 30;

describe('sizeBenchEngineHeap', () => {
  it('gives mongo-java-server 60 % of the memory, in whole GiB, beside other JVM options', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(sizeBenchEngineHeap(env, 24 * GIB)).toBe('-Xmx14g');
    expect(env.JAVA_TOOL_OPTIONS).toBe('-Xmx14g');
    const withOptions: NodeJS.ProcessEnv = { JAVA_TOOL_OPTIONS: '-Xss1m' };
    expect(sizeBenchEngineHeap(withOptions, 8 * GIB)).toBe('-Xmx4g');
    expect(withOptions.JAVA_TOOL_OPTIONS).toBe('-Xss1m -Xmx4g');
  });

  it('leaves a heap someone set alone, and never goes below 1 GiB', () => {
    const env: NodeJS.ProcessEnv = { JAVA_TOOL_OPTIONS: '-Xmx16g' };
    expect(sizeBenchEngineHeap(env, 24 * GIB)).toBeUndefined();
    expect(env.JAVA_TOOL_OPTIONS).toBe('-Xmx16g');
    expect(sizeBenchEngineHeap({}, GIB)).toBe('-Xmx1g');
  });
});

describe('compactEngineHeap', () => {
  it('answers false where there is no mongo-java-server, and leaves other processes alone', () => {
    expect(compactEngineHeap(undefined)).toBe(false);
    // This process is Node: never attached to (jcmd's SIGQUIT would end it, as it would a mongod).
    expect(compactEngineHeap(process.pid)).toBe(false);
    expect(compactEngineHeap(process.pid, { JAVA_HOME: '/nonexistent-jdk' })).toBe(false);
    expect(compactEngineHeap(2 ** 22 + 1)).toBe(false);
  });
});
