import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import { DatasetAnalysisService } from './dataset-analysis.service';
import { DatasetVersionsService, toDatasetVersionModel } from './dataset-versions.service';
import {
  CompareDatasetVersionsArgs,
  CreateDatasetVersionInput,
  DatasetBuildIdArgs,
  DatasetVersionIdArgs,
  DatasetVersionsArgs,
  PreviewTransformationInput,
} from './dto/dataset.inputs';
import { DatasetBuildsService } from './jobs/dataset-builds.service';
import {
  DatasetBuildModel,
  DatasetComparisonModel,
  DatasetLineageModel,
  DatasetVersionModel,
  DatasetVersionPageModel,
  TransformationPreviewModel,
} from './models/dataset.models';

/** Dataset versions: admins create and archive them; managers read and compare them too. */
@Roles(Role.ADMIN, Role.MANAGER)
@Resolver()
export class VersionsResolver {
  constructor(
    private readonly versions: DatasetVersionsService,
    private readonly builds: DatasetBuildsService,
    private readonly analysis: DatasetAnalysisService,
  ) {}

  @Roles(Role.ADMIN)
  @Mutation(() => DatasetBuildModel, {
    description:
      "Snapshots the tenant's closed leads into an immutable version (the same content returns the existing version). Built within the call for small tenants; otherwise QUEUED, follow it with datasetVersionBuild.",
  })
  createDatasetVersion(
    @CurrentUser() user: AuthUser,
    @Args('input') input: CreateDatasetVersionInput,
  ): Promise<DatasetBuildModel> {
    return this.builds.request(user, input);
  }

  @Query(() => DatasetBuildModel)
  datasetVersionBuild(
    @CurrentUser() user: AuthUser,
    @Args() args: DatasetBuildIdArgs,
  ): Promise<DatasetBuildModel> {
    return this.builds.get(user.tenantId, args.id);
  }

  @Query(() => DatasetVersionPageModel, { description: 'Newest first.' })
  datasetVersions(
    @CurrentUser() user: AuthUser,
    @Args() args: DatasetVersionsArgs,
  ): Promise<DatasetVersionPageModel> {
    return this.versions.list(user.tenantId, args);
  }

  @Query(() => DatasetVersionModel)
  async datasetVersion(
    @CurrentUser() user: AuthUser,
    @Args() args: DatasetVersionIdArgs,
  ): Promise<DatasetVersionModel> {
    return toDatasetVersionModel(await this.versions.get(user.tenantId, args.id));
  }

  @Query(() => DatasetLineageModel)
  datasetLineage(
    @CurrentUser() user: AuthUser,
    @Args() args: DatasetVersionIdArgs,
  ): Promise<DatasetLineageModel> {
    return this.versions.lineage(user.tenantId, args.id);
  }

  @Query(() => DatasetComparisonModel, {
    description:
      'Row changes over every row of both versions (streamed); schema types and PSI on at most DATASET_ANALYSIS_SAMPLE_ROWS rows of each (10,000 by default; sampledRowsA, sampledRowsB say how many).',
    complexity: 20,
  })
  compareDatasetVersions(
    @CurrentUser() user: AuthUser,
    @Args() args: CompareDatasetVersionsArgs,
  ): Promise<DatasetComparisonModel> {
    return this.analysis.compare(user.tenantId, args);
  }

  @Query(() => TransformationPreviewModel, {
    description:
      "The model inputs a transformation makes and the first rows transformed, on a version or the tenant's closed leads now; fitted on at most DATASET_ANALYSIS_SAMPLE_ROWS rows (10,000 by default), a sample by lead id hash beyond that (fittedOn says how many); nothing is saved.",
    complexity: 20,
  })
  previewTransformation(
    @CurrentUser() user: AuthUser,
    @Args('input') input: PreviewTransformationInput,
  ): Promise<TransformationPreviewModel> {
    return this.analysis.preview(user, input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => DatasetVersionModel, {
    description:
      'Hides a version from lists (it stays readable); refused while a deployed model uses it.',
  })
  async archiveDatasetVersion(
    @CurrentUser() user: AuthUser,
    @Args() args: DatasetVersionIdArgs,
  ): Promise<DatasetVersionModel> {
    return toDatasetVersionModel(await this.versions.archive(user, args.id));
  }
}
