import { SetMetadata } from '@nestjs/common';

import { Role } from '../role.enum';

export const ROLES_KEY = 'auth:roles';

/** Only these roles may call the resolver or route (any authenticated user when absent). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
