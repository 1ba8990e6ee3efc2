import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { registerEnumType } from '@nestjs/graphql';
import { Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';

export enum AbTestStatus {
  RUNNING = 'RUNNING',
  STOPPED = 'STOPPED',
}
registerEnumType(AbTestStatus, { name: 'AbTestStatus' });

/** One A/B test of two models; the running one is also named in the tenant's deployment record. */
@Schema({ collection: 'abTests', timestamps: false })
export class AbTest {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ required: true })
  modelA!: string;

  @Prop({ required: true })
  modelB!: string;

  /** The share of leads in arm A (strictly between 0 and 1). */
  @Prop({ required: true })
  shareA!: number;

  @Prop({ type: String, enum: AbTestStatus, required: true })
  status!: AbTestStatus;

  @Prop({ required: true })
  startedBy!: string;

  @Prop({ type: Date, required: true })
  startedAt!: Date;

  @Prop({ type: String, default: null })
  stoppedBy!: string | null;

  @Prop({ type: Date, default: null })
  stoppedAt!: Date | null;

  /** The model deployed when it stopped, if a winner was named. */
  @Prop({ type: String, default: null })
  winner!: string | null;
}

export const AbTestSchema = SchemaFactory.createForClass(AbTest);
addTenantKeyIndex(AbTestSchema);
