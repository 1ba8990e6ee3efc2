import { applyDecorators } from '@nestjs/common';
import { Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsEnum,
  IsMongoId,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  MinLength,
} from 'class-validator';

import { Role } from '../role.enum';

const trimLower = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** A person's display name: trimmed, 1 to 120 characters. */
const PersonNameField = () =>
  applyDecorators(
    Field(() => String),
    Transform(trim),
    IsString(),
    Length(1, 120),
  );

/** An email address, stored lower-cased (it is the login). */
const EmailField = () =>
  applyDecorators(
    Field(() => String),
    Transform(trimLower),
    IsEmail(),
    MaxLength(254),
  );

/** A password being set: the length policy applies. */
const NewPasswordField = () =>
  applyDecorators(
    Field(() => String, {
      description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`,
    }),
    IsString(),
    MinLength(PASSWORD_MIN_LENGTH),
    MaxLength(PASSWORD_MAX_LENGTH),
  );

@InputType()
export class RegisterInput {
  @Field(() => String, { description: 'Name of the new tenant (company).' })
  @Transform(trim)
  @IsString()
  @Length(2, 120)
  tenantName!: string;

  @PersonNameField()
  name!: string;

  @EmailField()
  email!: string;

  @NewPasswordField()
  password!: string;
}

@InputType()
export class LoginInput {
  @EmailField()
  email!: string;

  @Field(() => String)
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password!: string;
}

@InputType()
export class RefreshTokenInput {
  @Field(() => String)
  @IsString()
  @Length(20, 200)
  refreshToken!: string;
}

@InputType()
export class CreateUserInput {
  @PersonNameField()
  name!: string;

  @EmailField()
  email!: string;

  @NewPasswordField()
  password!: string;

  @Field(() => Role)
  @IsEnum(Role)
  role!: Role;
}

@InputType()
export class UpdateUserRoleInput {
  @Field(() => ID)
  @IsMongoId()
  userId!: string;

  @Field(() => Role)
  @IsEnum(Role)
  role!: Role;
}

@InputType()
export class LogoutInput {
  @Field(() => String, {
    nullable: true,
    description: 'Also end the session of this refresh token.',
  })
  @IsOptional()
  @IsString()
  @Length(20, 200)
  refreshToken?: string;
}
