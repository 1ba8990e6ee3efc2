import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * A writer's promise that it is storing interactions received in [from, until): written before
 * the first of them is stored, removed once every call of the window has its events applied. A
 * marker still here after UNCLAIMED_GRACE_MS past its window is one whose writer died or failed
 * part way (or is very slow: a backlog waiting for room): the PendingInteractionsSweeper applies
 * what that time range holds without a receipt, every minute until MARKER_KEPT_MS past it.
 * The collection holds the windows in flight (a few per process) and those abandoned, so the
 * sweep reads a handful of markers instead of the whole recent log.
 */
@Schema({ collection: 'interactionWindows', versionKey: false })
export class InteractionWindow {
  _id!: Types.ObjectId;

  /** The process writing (hostname:pid:random, for support). */
  @Prop({ required: true })
  writer!: string;

  @Prop({ type: Date, required: true })
  from!: Date;

  @Prop({ type: Date, required: true })
  until!: Date;
}

export type InteractionWindowDocument = HydratedDocument<InteractionWindow>;
export const InteractionWindowSchema = SchemaFactory.createForClass(InteractionWindow);
InteractionWindowSchema.index({ until: 1 });
