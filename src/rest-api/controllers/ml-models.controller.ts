import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';
import { ApiErrorResponses } from '@/common/openapi/api-errors.decorator';
import { toMlModelModel } from '@/ml-models/ml-model.mapper';
import { MlModelsService } from '@/ml-models/ml-models.service';

import { MlModelDto, MlModelIdParam, MlModelPageDto, MlModelsQuery } from '../dto/ml-model.dto';
import { toMlModel } from '../mappers/ml.mapper';
import { V1Controller } from '../v1-controller.decorator';

/** The model registry, read by managers and admins (as GraphQL `mlModels`, `mlModel`). */
@Roles(Role.ADMIN, Role.MANAGER)
@V1Controller('ml/models', 'ml')
@ApiErrorResponses(403)
export class MlModelsController {
  constructor(private readonly models: MlModelsService) {}

  @Get()
  @ApiOperation({
    summary: "The tenant's models, newest version first (managers and admins)",
    description: 'Version 1 is the weighted sum; filter by status or type.',
  })
  @ApiOkResponse({ type: MlModelPageDto })
  @ApiErrorResponses(400)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: MlModelsQuery,
  ): Promise<MlModelPageDto> {
    const page = await this.models.list(user.tenantId, query);
    return { ...page, items: page.items.map(toMlModel) };
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One model with its test metrics, split and feature importances (managers and admins)',
  })
  @ApiOkResponse({ type: MlModelDto })
  @ApiErrorResponses(400, 404)
  async get(@CurrentUser() user: AuthUser, @Param() { id }: MlModelIdParam): Promise<MlModelDto> {
    return toMlModel(toMlModelModel(await this.models.get(user.tenantId, id)));
  }
}
