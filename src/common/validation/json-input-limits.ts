import type { JsonInputLimits } from '@/config/app-config';

import { DEFAULT_JSON_INPUT_LIMITS } from './json-bounds.util';

// The JSON scalar and the class-validator decorator are built at import time, before any
// configuration exists, so the limits reach them through this one holder, set at boot from
// JSON_MAX_* (AppModule.forRoot). Every app of a process shares it: one deployment, one value.
let current: JsonInputLimits = DEFAULT_JSON_INPUT_LIMITS;

export function configureJsonInputLimits(limits: JsonInputLimits): void {
  current = limits;
}

export function jsonInputLimits(): JsonInputLimits {
  return current;
}
