import { Inject, Injectable, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';

import { APP_CONFIG, type ConnectedAppConfig } from './app-config';
import { AppConfigModule, type AppConfigNamespace } from './config.module';
import { loadConfig } from './load-config';

function connectedConfig(env: Record<string, string>): ConnectedAppConfig {
  const config = loadConfig(env);
  return {
    ...config,
    mongo: { ...config.mongo, uri: 'mongodb://127.0.0.1:27017/test' },
    redis: { ...config.redis, url: 'redis://127.0.0.1:6379' },
  };
}

/** A provider of another module, injecting the configuration both ways. */
@Injectable()
class ConfigConsumer {
  constructor(
    @Inject(APP_CONFIG) readonly config: ConnectedAppConfig,
    @Inject(ConfigService) readonly configService: ConfigService<AppConfigNamespace, true>,
  ) {}
}

@Module({ providers: [ConfigConsumer], exports: [ConfigConsumer] })
class ConsumerModule {}

async function compile(config: ConnectedAppConfig) {
  return Test.createTestingModule({
    imports: [AppConfigModule.forRoot(config), ConsumerModule],
  }).compile();
}

describe('AppConfigModule', () => {
  it('provides the configuration as APP_CONFIG and through ConfigService, in every module', async () => {
    const config = connectedConfig({ APP_ROLE: 'api', PORT: '4321' });

    const moduleRef = await compile(config);
    const consumer = moduleRef.get(ConfigConsumer);

    expect(moduleRef.get(APP_CONFIG)).toBe(config);
    expect(consumer.config).toBe(config);
    expect(consumer.configService.get('app', { infer: true })).toBe(config);
    expect(moduleRef.get(ConfigService).get<number>('app.http.port')).toBe(4321);
    await moduleRef.close();
  });

  it('hands out no raw environment variable beside the validated configuration', async () => {
    const moduleRef = await compile(connectedConfig({}));

    // PATH is set in any environment the tests run in.
    expect(moduleRef.get(ConfigService).get<string>('PATH')).toBeUndefined();
    await moduleRef.close();
  });

  it('keeps the configurations of two applications in one process apart', async () => {
    const first = await compile(connectedConfig({ INSTANCE_ID: 'first' }));
    const second = await compile(connectedConfig({ INSTANCE_ID: 'second' }));

    expect(first.get<ConnectedAppConfig>(APP_CONFIG).instanceId).toBe('first');
    expect(second.get<ConnectedAppConfig>(APP_CONFIG).instanceId).toBe('second');
    expect(first.get(ConfigService).get<string>('app.instanceId')).toBe('first');
    expect(second.get(ConfigService).get<string>('app.instanceId')).toBe('second');
    await Promise.all([first.close(), second.close()]);
  });
});
