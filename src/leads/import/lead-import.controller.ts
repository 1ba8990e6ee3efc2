import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  type SchemaObject,
} from '@nestjs/swagger';
import type { Request } from 'express';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';
import { ApiUnversionedErrorResponses } from '@/common/openapi/api-errors.decorator';

import { LeadImport, LeadImportStatus } from './lead-import.schema';
import { LeadImportService } from './lead-import.service';

function toView(record: LeadImport) {
  return {
    id: record._id.toHexString(),
    status: record.status,
    totalRows: record.totalRows,
    processedRows: record.processedRows,
    importedRows: record.importedRows,
    failedRows: record.failedRows,
    errors: record.rowErrors,
    failure: record.failure,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
  };
}

const IMPORT_VIEW: SchemaObject = {
  type: 'object',
  required: ['id', 'status', 'totalRows', 'processedRows', 'importedRows', 'failedRows', 'errors'],
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: Object.values(LeadImportStatus) },
    totalRows: { type: 'integer' },
    processedRows: { type: 'integer' },
    importedRows: { type: 'integer' },
    failedRows: { type: 'integer' },
    errors: {
      type: 'array',
      description: 'The first 1,000 bad rows: row number (1 = first data row) and what is wrong.',
      items: {
        type: 'object',
        required: ['row', 'messages'],
        properties: {
          row: { type: 'integer' },
          messages: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    failure: { type: 'string', nullable: true },
    createdAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time', nullable: true },
  },
};

/**
 * CSV import of leads and outcomes: `POST /import/leads?mapping=<JSON>` with the CSV as the body
 * (`Content-Type: text/csv`, comma, semicolon or tab separated). Answers 202 with the import id;
 * `GET /import/leads/:id` gives its progress and per-row error report.
 */
@Roles(Role.ADMIN, Role.MANAGER)
@ApiTags('import')
@ApiBearerAuth()
@ApiUnversionedErrorResponses(401, 403, 429, 503)
@Controller('import/leads')
export class LeadImportController {
  constructor(private readonly imports: LeadImportService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Import leads (and their outcomes) from a CSV (managers and admins)',
    description:
      'The CSV is the body (comma, semicolon or tab separated, a header row); rows are staged and written by a worker. Answers at once with the import; follow it with GET /import/leads/{id}.',
  })
  @ApiConsumes('text/csv', 'text/plain')
  @ApiBody({
    schema: { type: 'string', example: 'id;segment;size;y\nH-1;A;40;yes\nH-2;B;12;no' },
  })
  @ApiQuery({
    name: 'mapping',
    required: true,
    description:
      'JSON: which column feeds which lead field. `leadId` (a column) or `leadIdPrefix` (ids from row numbers), `name`, `email`, `ownerId`, `status`, `attributes` (columns, or ["*"] for every unmapped one), `outcome` ({ column, converted: [values], lost: [values], at? }).',
    example:
      '{"leadId":"id","attributes":["*"],"outcome":{"column":"y","converted":["yes"],"lost":["no"]}}',
  })
  @ApiAcceptedResponse({ schema: IMPORT_VIEW })
  @ApiUnversionedErrorResponses(400, 413, 415)
  async upload(
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @Query('mapping') mapping?: string,
  ) {
    if (!req.is('text/csv') && !req.is('text/plain')) {
      throw new UnsupportedMediaTypeException(
        `send the CSV as the body with Content-Type: text/csv (got ${(req.headers['content-type'] ?? 'none').slice(0, 100)})`,
      );
    }
    const parsed = await this.imports.parseMapping(mapping);
    return toView(
      await this.imports.stage({
        tenantId: user.tenantId,
        userId: user.userId,
        mapping: parsed,
        csv: req,
      }),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'Progress of an import and its per-row error report' })
  @ApiParam({ name: 'id', description: 'The id the upload answered.' })
  @ApiOkResponse({ schema: IMPORT_VIEW })
  @ApiUnversionedErrorResponses(404)
  async status(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return toView(await this.imports.get(user.tenantId, id));
  }
}
