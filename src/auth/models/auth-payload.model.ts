import { Field, ObjectType } from '@nestjs/graphql';

import { UserModel } from './user.model';

@ObjectType('AuthPayload', {
  description: 'Tokens of a session. Send the access token as `Authorization: Bearer`.',
})
export class AuthPayloadModel {
  @Field(() => String)
  accessToken!: string;

  @Field(() => Date)
  accessTokenExpiresAt!: Date;

  @Field(() => String, { description: 'Single use: refreshToken returns a new one each time.' })
  refreshToken!: string;

  @Field(() => Date)
  refreshTokenExpiresAt!: Date;

  @Field(() => UserModel)
  user!: UserModel;
}
