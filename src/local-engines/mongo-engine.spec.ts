import { join } from 'node:path';

import { javaBinary } from './mongo-engine';

describe('javaBinary', () => {
  it('runs the JDK JAVA_HOME names, as Maven and Gradle do', () => {
    expect(javaBinary({ JAVA_HOME: '/usr/lib/jvm/temurin-25-jdk-amd64' })).toBe(
      join('/usr/lib/jvm/temurin-25-jdk-amd64', 'bin', 'java'),
    );
  });

  it('falls back to java on the PATH', () => {
    expect(javaBinary({})).toBe('java');
    expect(javaBinary({ JAVA_HOME: '' })).toBe('java');
  });
});
