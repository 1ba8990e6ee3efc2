import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  ADMIN = 'ADMIN',
  MANAGER = 'MANAGER',
  REP = 'REP',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'ADMIN manages users and models, MANAGER tunes scoring, REP works leads.',
});
