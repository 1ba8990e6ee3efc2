import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { pageInfo } from '@/common/graphql/page.args';
import { TenantRepository } from '@/common/tenancy/tenant-repository';

import { DatasetVersionsArgs } from './dto/dataset.inputs';
import type {
  DatasetLineageModel,
  DatasetLineageNodeModel,
  DatasetVersionModel,
  DatasetVersionPageModel,
} from './models/dataset.models';
import { DatasetUse, DatasetVersion } from './schemas/dataset-version.schema';
import { VersionsException } from './versions.exception';

const DUPLICATE_KEY = 11000;

/** Dataset versions as records: reads, lineage, archiving, and who uses a version. */
@Injectable()
export class DatasetVersionsService extends TenantRepository<DatasetVersion> {
  constructor(@InjectModel(DatasetVersion.name) model: Model<DatasetVersion>) {
    super(model);
  }

  async get(tenantId: string, id: string, path = 'id'): Promise<DatasetVersion> {
    const version = await this.findById(tenantId, id);
    if (!version) throw VersionsException.versionNotFound(id, path);
    return version;
  }

  /** The tenant's newest version that is not archived (the default parent of the next). */
  async latest(tenantId: string): Promise<DatasetVersion | null> {
    const [newest] = await this.find(
      tenantId,
      { archivedAt: null },
      { sort: { createdAt: -1, _id: -1 }, limit: 1, projection: { featureStats: 0 } },
    );
    return newest ?? null;
  }

  /**
   * Stores a version whose rows are written; false when the same content was stored meanwhile
   * (two builds of the same data at once: the first one is the version).
   */
  async insert(version: DatasetVersion): Promise<boolean> {
    try {
      await this.model.collection.insertOne(version);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** An archived version asked for again by content comes back. */
  async restore(tenantId: string, version: DatasetVersion): Promise<DatasetVersion> {
    if (!version.archivedAt) return version;
    return (
      (await this.updateById(tenantId, version._id.toHexString(), {
        $set: { archivedAt: null, archivedBy: null },
      })) ?? version
    );
  }

  async list(tenantId: string, args: DatasetVersionsArgs): Promise<DatasetVersionPageModel> {
    const filter = args.includeArchived ? {} : { archivedAt: null };
    const { items, total } = await this.page(tenantId, filter, {
      sort: { createdAt: -1, _id: -1 },
      page: args.page,
      limit: args.limit,
    });
    return { items: items.map(toDatasetVersionModel), ...pageInfo(args, total) };
  }

  /** Ancestors up to the root and every descendant, each with its transformation. */
  async lineage(tenantId: string, id: string): Promise<DatasetLineageModel> {
    const all = await this.find(tenantId, {}, { projection: { featureStats: 0, featureNames: 0 } });
    const byId = new Map(all.map((v) => [v._id.toHexString(), v]));
    const self = byId.get(id);
    if (!self) throw VersionsException.versionNotFound(id);
    const ancestors: DatasetLineageNodeModel[] = [];
    const seen = new Set([id]);
    for (let parent = self.parentId, depth = -1; parent; depth--) {
      const version = byId.get(parent.toHexString());
      if (!version || seen.has(parent.toHexString())) break;
      seen.add(parent.toHexString());
      ancestors.push(toLineageNode(version, depth));
      parent = version.parentId;
    }
    const children = new Map<string, DatasetVersion[]>();
    for (const version of all) {
      const parent = version.parentId?.toHexString();
      if (parent) children.set(parent, [...(children.get(parent) ?? []), version]);
    }
    const descendants: DatasetLineageNodeModel[] = [];
    let level = [self];
    for (let depth = 1; level.length > 0; depth++) {
      const next: DatasetVersion[] = [];
      for (const version of level) {
        for (const child of children.get(version._id.toHexString()) ?? []) {
          if (seen.has(child._id.toHexString())) continue;
          seen.add(child._id.toHexString());
          descendants.push(toLineageNode(child, depth));
          next.push(child);
        }
      }
      level = next.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    }
    return { version: toLineageNode(self, 0), ancestors, descendants };
  }

  /** Soft delete: the version stays readable (lineage, models trained on it) but leaves lists. */
  async archive(user: AuthUser, id: string): Promise<DatasetVersion> {
    const version = await this.get(user.tenantId, id);
    if (version.usedBy.length > 0) throw VersionsException.inUse(id, version.usedBy);
    if (version.archivedAt) return version;
    // Conditional on still being unused (and unarchived), so a deploy that marks it in between
    // wins; the version read again then says why.
    const archived = await this.updateOne(
      user.tenantId,
      { _id: version._id, archivedAt: null, usedBy: { $size: 0 } },
      { $set: { archivedAt: new Date(), archivedBy: user.userId } },
    );
    if (!archived) return this.archive(user, id);
    return archived;
  }

  /**
   * Marks the version as relied on (a deployed model): it cannot be archived until released.
   * Conditional on the version not being archived, so an archive and a deploy at once never end
   * with an archived version in use: whichever writes first wins, the other is refused.
   */
  async markInUse(tenantId: string, id: string, use: Omit<DatasetUse, 'since'>): Promise<void> {
    const version = await this.get(tenantId, id);
    if (version.usedBy.some((u) => u.kind === use.kind && u.id === use.id)) return;
    if (version.archivedAt) throw VersionsException.archived(id);
    // Conditional on not archived (an archive at the same time wins or loses whole) and on not
    // listing this use yet (two deploys of one model at once push it once).
    const marked = await this.updateOne(
      tenantId,
      {
        _id: version._id,
        archivedAt: null,
        usedBy: { $not: { $elemMatch: { kind: use.kind, id: use.id } } },
      },
      { $push: { usedBy: { ...use, since: new Date() } } },
    );
    if (marked) return;
    const now = await this.get(tenantId, id);
    if (now.usedBy.some((u) => u.kind === use.kind && u.id === use.id)) return;
    throw VersionsException.archived(id);
  }

  async release(tenantId: string, id: string, use: Omit<DatasetUse, 'since'>): Promise<void> {
    await this.updateById(tenantId, id, { $pull: { usedBy: { kind: use.kind, id: use.id } } });
  }
}

export function toDatasetVersionModel(version: DatasetVersion): DatasetVersionModel {
  return {
    id: version._id.toHexString(),
    name: version.name,
    contentHash: version.contentHash,
    parentId: version.parentId?.toHexString() ?? null,
    filter: {
      outcomeFrom: version.filter.outcomeFrom ?? null,
      outcomeTo: version.filter.outcomeTo ?? null,
      ownerIds: version.filter.ownerIds ?? null,
    },
    transformation: version.transformation,
    rowCount: version.rowCount,
    converted: version.converted,
    lost: version.lost,
    labelRate: version.rowCount === 0 ? 0 : version.converted / version.rowCount,
    firstEventAt: version.firstEventAt,
    lastEventAt: version.lastEventAt,
    features: version.featureStats.map((f) => ({
      ...f,
      numeric: f.numeric ? { ...f.numeric, quantiles: [...f.numeric.quantiles] } : null,
      topCategories: f.topCategories ? [...f.topCategories] : null,
    })),
    chunkCount: version.chunkCount,
    createdBy: version.createdBy,
    createdAt: version.createdAt,
    archivedAt: version.archivedAt,
    usedBy: version.usedBy,
  };
}

function toLineageNode(version: DatasetVersion, depth: number): DatasetLineageNodeModel {
  return {
    id: version._id.toHexString(),
    name: version.name,
    parentId: version.parentId?.toHexString() ?? null,
    depth,
    rowCount: version.rowCount,
    contentHash: version.contentHash,
    transformation: version.transformation,
    createdAt: version.createdAt,
    archived: version.archivedAt !== null,
  };
}
