import { SkipThrottle } from '@nestjs/throttler';

import { IP_THROTTLER, USER_THROTTLER } from './throttlers';

/** For probes (health, metrics): they must answer even when Redis, which keeps the counters, is down. */
export const SkipRateLimits = () => SkipThrottle({ [IP_THROTTLER]: true, [USER_THROTTLER]: true });
