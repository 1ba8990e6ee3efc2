import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';

import { APP_CONFIG, ConnectedAppConfig } from './app-config';

/** The ConfigService key of the whole configuration: `configService.get('app')`. */
export const APP_CONFIG_NAMESPACE = 'app';

/** How to type ConfigService to read the configuration: `ConfigService<AppConfigNamespace, true>`. */
export interface AppConfigNamespace {
  readonly [APP_CONFIG_NAMESPACE]: ConnectedAppConfig;
}

/**
 * Makes the configuration injectable everywhere, as `@Inject(APP_CONFIG)` (typed, the usual way)
 * and through @nestjs/config's ConfigService under the `app` namespace.
 *
 * The environment was validated by loadConfig before Nest started (main.ts needs the config to
 * start local engines first), so ConfigModule reads no `.env` and validates nothing again; and
 * its ConfigService does not fall back to `process.env`, which would hand out raw unvalidated
 * strings beside the validated configuration.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: ConnectedAppConfig): DynamicModule {
    const appConfig = registerAs(APP_CONFIG_NAMESPACE, () => config);
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [appConfig],
        }),
      ],
      // An alias of the namespace's own provider (its KEY), the way @nestjs/config injects a
      // namespace: the very object main.ts built, with no lookup by string path.
      providers: [{ provide: APP_CONFIG, useExisting: appConfig.KEY }],
      exports: [APP_CONFIG],
    };
  }
}
