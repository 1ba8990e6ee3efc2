import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import { AuditAction } from '@/audit/audit-action.enum';
import { AuditService } from '@/audit/audit.service';
import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import { RateLimiterService } from '@/rate-limit/rate-limiter.service';

import { AuthErrorReason, AuthException } from './auth.exception';
import { AuthUser } from './auth-user';
import { LoginInput, RegisterInput } from './dto/auth.inputs';
import { AuthPayloadModel } from './models/auth-payload.model';
import { verifyPassword } from './password.util';
import { Role } from './role.enum';
import { Tenant } from './schemas/tenant.schema';
import { User } from './schemas/user.schema';
import { AccessTokenService } from './tokens/access-token.service';
import { RefreshTokenService } from './tokens/refresh-token.service';
import { EMAIL_TAKEN_MESSAGE, toUserModel, UsersService } from './users.service';

/** Sessions: registration of a tenant, login, refresh with rotation, logout. */
@Injectable()
export class AuthService {
  constructor(
    @InjectModel(Tenant.name) private readonly tenants: Model<Tenant>,
    private readonly users: UsersService,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly limiter: RateLimiterService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
  ) {}

  async register(input: RegisterInput, ip: string): Promise<AuthPayloadModel> {
    if (!this.config.auth.registrationEnabled) {
      throw new AuthException(
        AuthErrorReason.REGISTRATION_DISABLED,
        'registration is disabled on this deployment',
      );
    }
    await this.limitRegistration(input.email, ip);
    if (await this.users.findByEmailForLogin(input.email)) {
      throw new AuthException(AuthErrorReason.EMAIL_TAKEN, EMAIL_TAKEN_MESSAGE);
    }
    const tenant = await this.tenants.create({ name: input.tenantName });
    let admin: User;
    try {
      admin = await this.users.insertUser(tenant._id.toHexString(), { ...input, role: Role.ADMIN });
    } catch (error) {
      // No transactions on every engine we support: undo the tenant so nothing is half-written.
      await this.tenants.deleteOne({ _id: tenant._id });
      throw error;
    }
    await this.audit.record({
      action: AuditAction.TENANT_REGISTERED,
      tenantId: tenant._id.toHexString(),
      actorId: admin._id.toHexString(),
      targetId: admin._id.toHexString(),
      ip,
      details: { tenantName: tenant.name },
    });
    return this.startSession(admin);
  }

  /**
   * `register` answers CONFLICT for an email that has an account, which tells the caller so: the
   * attempts are bounded per email address and per client address (README, "What register tells").
   */
  private async limitRegistration(email: string, ip: string): Promise<void> {
    const { registerMaxPerEmail, registerMaxPerIp, loginWindowSeconds } = this.config.rateLimit;
    const windowMs = loginWindowSeconds * 1000;
    const [byIp, byEmail] = await Promise.all([
      this.limiter.hit(`register:ip:${ip}`, windowMs),
      this.limiter.hit(`register:email:${email}`, windowMs),
    ]);
    const spent = [
      byIp.count > registerMaxPerIp ? byIp : undefined,
      byEmail.count > registerMaxPerEmail ? byEmail : undefined,
    ].filter((hit) => hit !== undefined);
    if (spent.length === 0) return;
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil(Math.max(...spent.map((hit) => hit.resetInMs)) / 1000),
    );
    throw new AppException(
      ErrorCode.RATE_LIMITED,
      `too many registration attempts: retry in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }

  async login(input: LoginInput, ip: string): Promise<AuthPayloadModel> {
    const { loginMaxAttempts, loginWindowSeconds } = this.config.rateLimit;
    const limitKey = `login:${input.email}|${ip}`;
    const attempt = await this.limiter.hit(limitKey, loginWindowSeconds * 1000);
    if (attempt.count > loginMaxAttempts) {
      const retryAfterSeconds = Math.max(1, Math.ceil(attempt.resetInMs / 1000));
      await this.audit.record({
        action: AuditAction.LOGIN_RATE_LIMITED,
        ip,
        details: { email: input.email },
      });
      throw new AppException(
        ErrorCode.RATE_LIMITED,
        `too many login attempts: retry in ${retryAfterSeconds} s`,
        {
          retryAfterSeconds,
        },
      );
    }

    const user = await this.users.findByEmailForLogin(input.email);
    const passwordOk = await verifyPassword(user?.passwordHash, input.password);
    if (!user || !passwordOk || !user.isActive) {
      await this.audit.record({
        action: AuditAction.LOGIN_FAILED,
        tenantId: user?.tenantId.toHexString() ?? null,
        targetId: user?._id.toHexString() ?? null,
        ip,
        details: {
          email: input.email,
          reason: !user ? 'unknown email' : !passwordOk ? 'wrong password' : 'user deactivated',
        },
      });
      // One answer for every failure: no telling which emails exist.
      throw new AuthException(AuthErrorReason.INVALID_CREDENTIALS, 'invalid email or password');
    }

    await this.limiter.reset(limitKey);
    await this.users.recordLogin(user.tenantId, user._id);
    await this.audit.record({
      action: AuditAction.LOGIN_SUCCEEDED,
      tenantId: user.tenantId.toHexString(),
      actorId: user._id.toHexString(),
      targetId: user._id.toHexString(),
      ip,
    });
    return this.startSession({ ...user, lastLoginAt: new Date() });
  }

  async refresh(refreshToken: string, ip: string): Promise<AuthPayloadModel> {
    const rotation = await this.refreshTokens.rotate(refreshToken);
    if (rotation.outcome === 'reused') {
      await this.accessTokens.revokeAllForUser(rotation.userId);
      await this.audit.record({
        action: AuditAction.TOKEN_REUSE_DETECTED,
        tenantId: rotation.tenantId,
        targetId: rotation.userId,
        ip,
        details: { response: 'session family revoked, access tokens revoked' },
      });
      throw new AuthException(
        AuthErrorReason.REFRESH_TOKEN_REUSED,
        'refresh token was already used: the session has been revoked, log in again',
      );
    }
    const user = await this.users.findById(rotation.tenantId, rotation.userId);
    if (!user || !user.isActive) {
      await this.refreshTokens.revokeAllForUser(rotation.tenantId, rotation.userId);
      throw new AuthException(AuthErrorReason.USER_INACTIVE, 'user is deactivated');
    }
    const access = this.accessTokens.sign({
      userId: rotation.userId,
      tenantId: rotation.tenantId,
      role: user.role,
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: rotation.next.token,
      refreshTokenExpiresAt: rotation.next.expiresAt,
      user: toUserModel(user),
    };
  }

  async logout(caller: AuthUser, refreshToken: string | undefined, ip: string): Promise<boolean> {
    await this.accessTokens.revokeToken(caller);
    if (refreshToken) await this.refreshTokens.revokeFamilyOf(refreshToken, caller);
    await this.audit.record({
      action: AuditAction.LOGOUT,
      tenantId: caller.tenantId,
      actorId: caller.userId,
      ip,
    });
    return true;
  }

  private async startSession(user: User): Promise<AuthPayloadModel> {
    const tenantId = user.tenantId.toHexString();
    const userId = user._id.toHexString();
    const access = this.accessTokens.sign({ userId, tenantId, role: user.role });
    const refresh = await this.refreshTokens.issue({ tenantId, userId });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt,
      user: toUserModel(user),
    };
  }
}
