import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { AuditModule } from '@/audit/audit.module';
import { WsSessions } from '@/common/graphql/ws/ws-sessions.service';

import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RequestGate } from './guards/request-gate.guard';
import { RolesGuard } from './guards/roles.guard';
import { RefreshToken, RefreshTokenSchema } from './schemas/refresh-token.schema';
import { Tenant, TenantSchema } from './schemas/tenant.schema';
import { User, UserSchema } from './schemas/user.schema';
import { AccessTokenService } from './tokens/access-token.service';
import { AccessTokenVerifier } from './tokens/access-token-verifier';
import { JwtKeys } from './tokens/jwt-keys.provider';
import { RefreshTokenService } from './tokens/refresh-token.service';
import { UsersResolver } from './users.resolver';
import { TenantsService } from './tenants.service';
import { UsersService } from './users.service';

@Module({
  imports: [
    AuditModule,
    MongooseModule.forFeature([
      { name: Tenant.name, schema: TenantSchema },
      { name: User.name, schema: UserSchema },
      { name: RefreshToken.name, schema: RefreshTokenSchema },
    ]),
  ],
  providers: [
    JwtKeys,
    AccessTokenService,
    RefreshTokenService,
    AccessTokenVerifier,
    JwtAuthGuard,
    RolesGuard,
    RequestGate,
    UsersService,
    TenantsService,
    AuthService,
    AuthResolver,
    UsersResolver,
    WsSessions,
  ],
  exports: [AccessTokenService, RequestGate, UsersService, TenantsService, AuthService, WsSessions],
})
export class AuthModule {}
