import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'auth:isPublic';

/** Opts a resolver or route out of the default authentication. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
