import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigValidationError } from './config-validation.error';
import { applyEnvFile } from './env-file';
import { loadConfig } from './load-config';

describe('applyEnvFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'config-env-file-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the variables of the file that the environment does not set', () => {
    const path = join(dir, '.env');
    writeFileSync(
      path,
      ['# local settings', 'PORT=4000', 'LOG_LEVEL=debug', 'OPENAI_MODEL="gpt-4.1 mini"', ''].join(
        '\n',
      ),
    );
    const env: Record<string, string | undefined> = { PORT: '5000' };

    const applied = applyEnvFile(env, path);

    expect(applied).toEqual(['LOG_LEVEL', 'OPENAI_MODEL']);
    expect(env).toEqual({ PORT: '5000', LOG_LEVEL: 'debug', OPENAI_MODEL: 'gpt-4.1 mini' });
    // The real environment wins: PORT stays 5000.
    expect(loadConfig(env)).toMatchObject({ http: { port: 5000 }, logLevel: 'debug' });
  });

  it('does nothing without a file', () => {
    const env = { PORT: '5000' };

    expect(applyEnvFile(env, join(dir, '.env'))).toEqual([]);
    expect(env).toEqual({ PORT: '5000' });
  });

  it('reports a file it cannot read as a configuration problem', () => {
    expect(() => applyEnvFile({}, dir)).toThrow(ConfigValidationError);
    expect(() => applyEnvFile({}, dir)).toThrow(`${dir}: cannot read the env file (EISDIR)`);
  });
});
