import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { AuthErrorReason, AuthException } from '../auth.exception';
import { RefreshToken } from '../schemas/refresh-token.schema';

export interface IssuedRefreshToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export type RotationResult =
  | {
      readonly outcome: 'rotated';
      readonly userId: string;
      readonly tenantId: string;
      readonly next: IssuedRefreshToken;
    }
  | { readonly outcome: 'reused'; readonly userId: string; readonly tenantId: string };

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class RefreshTokenService extends TenantRepository<RefreshToken> {
  private readonly ttlMs: number;

  constructor(
    @InjectModel(RefreshToken.name) model: Model<RefreshToken>,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    super(model);
    this.ttlMs = config.auth.refreshTokenTtlSeconds * 1000;
  }

  async issue({
    tenantId,
    userId,
    familyId = randomUUID(),
  }: {
    tenantId: string;
    userId: string;
    familyId?: string;
  }): Promise<IssuedRefreshToken> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.create(tenantId, {
      userId: new Types.ObjectId(userId),
      familyId,
      tokenHash: hashToken(token),
      expiresAt,
      usedAt: null,
      revokedAt: null,
    });
    return { token, expiresAt };
  }

  /**
   * Uses up a refresh token and issues the next of its family. A token presented after it was
   * used means it leaked: the family is revoked and the caller learns it was reuse. The token itself is the credential, so this lookup is by hash alone.
   */
  async rotate(token: string): Promise<RotationResult> {
    const tokenHash = hashToken(token);
    const now = new Date();
    const claimed = await this.model
      .findOneAndUpdate(
        { tokenHash, usedAt: null, revokedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { returnDocument: 'after' },
      )
      .lean<RefreshToken>()
      .exec();
    if (claimed) {
      const tenantId = claimed.tenantId.toHexString();
      const userId = claimed.userId.toHexString();
      const next = await this.issue({ tenantId, userId, familyId: claimed.familyId });
      return { outcome: 'rotated', tenantId, userId, next };
    }
    const known = await this.model.findOne({ tokenHash }).lean<RefreshToken>().exec();
    // Used before: a copy is in someone else's hands. (Merely revoked, by logout or deactivation,
    // is just invalid: a stale client retrying must not end the user's other sessions.)
    if (known && known.usedAt !== null) {
      await this.updateMany(
        known.tenantId,
        { familyId: known.familyId, revokedAt: null },
        { $set: { revokedAt: now } },
      );
      return {
        outcome: 'reused',
        tenantId: known.tenantId.toHexString(),
        userId: known.userId.toHexString(),
      };
    }
    throw new AuthException(AuthErrorReason.INVALID_TOKEN, 'refresh token is invalid or expired');
  }

  /** Ends the session the token belongs to, if it is the given user's. */
  async revokeFamilyOf(token: string, user: { tenantId: string; userId: string }): Promise<void> {
    const known = await this.findOne(user.tenantId, {
      tokenHash: hashToken(token),
      userId: new Types.ObjectId(user.userId),
    });
    if (known)
      await this.updateMany(
        user.tenantId,
        { familyId: known.familyId, revokedAt: null },
        { $set: { revokedAt: new Date() } },
      );
  }

  async revokeAllForUser(tenantId: string, userId: string): Promise<void> {
    await this.updateMany(
      tenantId,
      { userId: new Types.ObjectId(userId), revokedAt: null },
      { $set: { revokedAt: new Date() } },
    );
  }
}
