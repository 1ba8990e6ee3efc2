import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * One issued refresh token. Only its SHA-256 is stored. Tokens of one login form a family: each
 * refresh uses up one token and issues the next; presenting a used token again means it leaked,
 * and the whole family is revoked.
 */
@Schema({ collection: 'refreshTokens', timestamps: { createdAt: true, updatedAt: false } })
export class RefreshToken {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ required: true })
  familyId!: string;

  @Prop({ required: true })
  tokenHash!: string;

  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  usedAt!: Date | null;

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;

  createdAt!: Date;
}

export type RefreshTokenDocument = HydratedDocument<RefreshToken>;
export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshToken);
RefreshTokenSchema.index({ tokenHash: 1 }, { unique: true });
RefreshTokenSchema.index({ tenantId: 1, familyId: 1 });
RefreshTokenSchema.index({ tenantId: 1, userId: 1 });
// Expired tokens are useless; engines that enforce TTL drop them (mongo-java-server does not).
RefreshTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
