import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { AiSettings } from './schemas/ai-settings.schema';

export interface EffectiveAiSettings {
  readonly sendName: boolean;
  /** null: every attribute (contact details never). */
  readonly attributes: readonly string[] | null;
  readonly updatedAt: Date | null;
  readonly updatedBy: string | null;
}

const DEFAULTS: EffectiveAiSettings = {
  sendName: true,
  attributes: null,
  updatedAt: null,
  updatedBy: null,
};

/** A tenant's choice of what insights may send to OpenAI (read by `_id`, the tenant's id). */
@Injectable()
export class AiSettingsService {
  constructor(@InjectModel(AiSettings.name) private readonly model: Model<AiSettings>) {}

  async get(tenantId: string): Promise<EffectiveAiSettings> {
    const doc = await this.model
      .findOne({ _id: new Types.ObjectId(tenantId) })
      .lean<AiSettings>()
      .exec();
    return doc
      ? {
          sendName: doc.sendName,
          attributes: doc.attributes,
          updatedAt: doc.updatedAt,
          updatedBy: doc.updatedBy,
        }
      : DEFAULTS;
  }

  async update(
    tenantId: string,
    actorId: string,
    input: { sendName?: boolean; attributes?: string[] | null },
  ): Promise<EffectiveAiSettings> {
    const current = await this.get(tenantId);
    const next = {
      sendName: input.sendName ?? current.sendName,
      attributes:
        input.attributes === undefined
          ? current.attributes
          : input.attributes === null
            ? null
            : [...new Set(input.attributes)].sort(),
      updatedAt: new Date(),
      updatedBy: actorId,
    };
    await this.model
      .updateOne({ _id: new Types.ObjectId(tenantId) }, { $set: next }, { upsert: true })
      .exec();
    return next;
  }
}

/** Names what the settings let through, for the cache key: a change writes new insights. */
export function settingsStamp(settings: EffectiveAiSettings): string {
  return createHash('sha256')
    .update(JSON.stringify([settings.sendName, settings.attributes]))
    .digest('hex')
    .slice(0, 16);
}
