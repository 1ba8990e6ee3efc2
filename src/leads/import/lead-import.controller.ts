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
import type { Request } from 'express';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import { LeadImport } from './lead-import.schema';
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

/**
 * CSV import of leads and outcomes: `POST /import/leads?mapping=<JSON>` with the CSV as the body
 * (`Content-Type: text/csv`, comma, semicolon or tab separated). Answers 202 with the import id;
 * `GET /import/leads/:id` gives its progress and per-row error report.
 */
@Roles(Role.ADMIN, Role.MANAGER)
@Controller('import/leads')
export class LeadImportController {
  constructor(private readonly imports: LeadImportService) {}

  @Post()
  @HttpCode(202)
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
  async status(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return toView(await this.imports.get(user.tenantId, id));
  }
}
