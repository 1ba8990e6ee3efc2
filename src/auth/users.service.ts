import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { AuditAction } from '@/audit/audit-action.enum';
import { AuditService } from '@/audit/audit.service';
import { TenantRepository } from '@/common/tenancy/tenant-repository';

import { AuthErrorReason, AuthException } from './auth.exception';
import { AuthUser } from './auth-user';
import { CreateUserInput, UpdateUserRoleInput } from './dto/auth.inputs';
import { UserModel } from './models/user.model';
import { hashPassword } from './password.util';
import { User } from './schemas/user.schema';
import { AccessTokenService } from './tokens/access-token.service';
import { RefreshTokenService } from './tokens/refresh-token.service';

const DUPLICATE_KEY = 11000;

/** Says no more than that: neither the email nor which tenant has it. */
export const EMAIL_TAKEN_MESSAGE =
  'this email cannot be used: log in, or register with another email';

export function toUserModel(user: User): UserModel {
  return {
    id: user._id.toHexString(),
    tenantId: user.tenantId.toHexString(),
    email: user.email,
    name: user.name,
    role: user.role,
    isActive: user.isActive,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt ?? null,
  };
}

/** Users of a tenant: every method is scoped to the caller's tenant through TenantRepository. */
@Injectable()
export class UsersService extends TenantRepository<User> {
  constructor(
    @InjectModel(User.name) model: Model<User>,
    private readonly audit: AuditService,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
  ) {
    super(model);
  }

  /** Login is the one lookup without a tenant: the email is unique across tenants. */
  findByEmailForLogin(email: string): Promise<User | null> {
    return this.model.findOne({ email: email.toLowerCase() }).lean<User>().exec();
  }

  async insertUser(tenantId: string, input: CreateUserInput): Promise<User> {
    try {
      return await this.create(tenantId, {
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash: await hashPassword(input.password),
        isActive: true,
        lastLoginAt: null,
      });
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) {
        throw new AuthException(AuthErrorReason.EMAIL_TAKEN, EMAIL_TAKEN_MESSAGE);
      }
      throw error;
    }
  }

  async getActive(tenantId: string, userId: string): Promise<User> {
    const user = await this.findById(tenantId, userId);
    if (!user || !user.isActive)
      throw new AuthException(AuthErrorReason.USER_INACTIVE, 'user is deactivated or gone');
    return user;
  }

  async me(caller: AuthUser): Promise<UserModel> {
    const user = await this.findById(caller.tenantId, caller.userId);
    if (!user) throw new AuthException(AuthErrorReason.USER_NOT_FOUND, 'user not found');
    return toUserModel(user);
  }

  async list(caller: AuthUser): Promise<UserModel[]> {
    const users = await this.find(
      caller.tenantId,
      {},
      { sort: { createdAt: 1, _id: 1 }, limit: 1000 },
    );
    return users.map(toUserModel);
  }

  async get(caller: AuthUser, userId: string): Promise<UserModel> {
    const user = await this.findById(caller.tenantId, userId);
    if (!user) throw new AuthException(AuthErrorReason.USER_NOT_FOUND, 'user not found');
    return toUserModel(user);
  }

  async createUser(caller: AuthUser, input: CreateUserInput, ip: string): Promise<UserModel> {
    const user = await this.insertUser(caller.tenantId, input);
    await this.audit.record({
      action: AuditAction.USER_CREATED,
      tenantId: caller.tenantId,
      actorId: caller.userId,
      targetId: user._id.toHexString(),
      ip,
      details: { role: user.role, email: user.email },
    });
    return toUserModel(user);
  }

  async updateRole(caller: AuthUser, input: UpdateUserRoleInput, ip: string): Promise<UserModel> {
    if (input.userId === caller.userId) {
      throw new AuthException(AuthErrorReason.SELF_CHANGE, 'admins cannot change their own role');
    }
    const before = await this.findById(caller.tenantId, input.userId);
    if (!before) throw new AuthException(AuthErrorReason.USER_NOT_FOUND, 'user not found');
    const updated = await this.updateById(caller.tenantId, input.userId, {
      $set: { role: input.role },
    });
    if (!updated) throw new AuthException(AuthErrorReason.USER_NOT_FOUND, 'user not found');
    if (before.role !== input.role) {
      // Tokens carry the role: the old ones stop now, a refresh picks up the new role.
      await this.accessTokens.revokeAllForUser(input.userId);
      await this.audit.record({
        action: AuditAction.ROLE_CHANGED,
        tenantId: caller.tenantId,
        actorId: caller.userId,
        targetId: input.userId,
        ip,
        details: { from: before.role, to: input.role },
      });
    }
    return toUserModel(updated);
  }

  async deactivate(caller: AuthUser, userId: string, ip: string): Promise<UserModel> {
    if (userId === caller.userId) {
      throw new AuthException(AuthErrorReason.SELF_CHANGE, 'admins cannot deactivate themselves');
    }
    const updated = await this.updateById(caller.tenantId, userId, { $set: { isActive: false } });
    if (!updated) throw new AuthException(AuthErrorReason.USER_NOT_FOUND, 'user not found');
    await this.accessTokens.revokeAllForUser(userId);
    await this.refreshTokens.revokeAllForUser(caller.tenantId, userId);
    await this.audit.record({
      action: AuditAction.USER_DEACTIVATED,
      tenantId: caller.tenantId,
      actorId: caller.userId,
      targetId: userId,
      ip,
    });
    return toUserModel(updated);
  }

  async recordLogin(tenantId: Types.ObjectId, userId: Types.ObjectId): Promise<void> {
    await this.updateById(tenantId, userId.toHexString(), { $set: { lastLoginAt: new Date() } });
  }
}
