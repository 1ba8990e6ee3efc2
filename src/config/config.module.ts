import { DynamicModule, Global, Module } from '@nestjs/common';

import { APP_CONFIG, ConnectedAppConfig } from './app-config';

/** Makes the validated configuration injectable everywhere as `@Inject(APP_CONFIG)`. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: ConnectedAppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
