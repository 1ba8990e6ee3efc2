import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsMongoId, IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { Response } from 'express';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { ApiUnversionedErrorResponses } from '@/common/openapi/api-errors.decorator';
import { toNumber } from '@/common/validation/query-transforms';
import { LEAD_STATUSES } from '@/scoring/dto/rescore-leads.input';

import {
  chooseFormat,
  CSV_COLUMNS,
  EXPORT_FORMATS,
  EXPORT_MEDIA_TYPES,
  exportFileName,
} from './lead-export-row.util';
import type { ExportFormat } from './lead-export-row.util';
import { LeadExportService } from './lead-export.service';

export class LeadExportQuery {
  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    description: 'Overrides the Accept header; CSV when neither names a format.',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 100 })
  @IsOptional()
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  minScore?: number;

  @ApiPropertyOptional({
    description: "A user id: that owner's leads (reps always get their own).",
  })
  @IsOptional()
  @IsMongoId()
  ownerId?: string;

  @ApiPropertyOptional({ enum: LEAD_STATUSES })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: string;
}

const NDJSON_LINE = {
  type: 'object',
  required: [
    'id',
    'leadId',
    'name',
    'email',
    'ownerId',
    'status',
    'score',
    'tier',
    'modelType',
    'modelId',
    'modelVersion',
    'configVersion',
    'scoredAt',
    'stale',
    'lastActivityAt',
    'factorUnit',
    'factors',
  ],
  properties: {
    id: { type: 'string' },
    leadId: { type: 'string' },
    name: { type: 'string', nullable: true },
    email: { type: 'string', nullable: true },
    ownerId: { type: 'string', nullable: true },
    status: { type: 'string' },
    score: { type: 'number' },
    tier: { type: 'string', enum: ['HOT', 'WARM', 'COLD'] },
    modelType: { type: 'string' },
    modelId: { type: 'string' },
    modelVersion: { type: 'integer' },
    configVersion: { type: 'integer' },
    scoredAt: { type: 'string', format: 'date-time' },
    stale: { type: 'boolean' },
    lastActivityAt: { type: 'string', format: 'date-time', nullable: true },
    factorUnit: { type: 'string', enum: ['points', 'logit'] },
    factors: {
      type: 'array',
      description: 'Every factor, largest absolute contribution first.',
      items: {
        type: 'object',
        required: ['feature', 'value', 'contribution'],
        properties: {
          feature: { type: 'string' },
          value: { nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }] },
          contribution: { type: 'number' },
        },
      },
    },
    trend: { description: 'When the lead view has one.' },
    modelScore: { description: 'When the lead view has one.' },
    override: { description: 'When the lead view has one.' },
  },
};

const CSV_EXAMPLE = `${CSV_COLUMNS.join(',')}\r\n65f1c0ffee0123456789abcd,CRM-1042,Ada Lovelace,ada@example.com,65f1c0ffee0123456789abce,WORKING,47.5,WARM,WEIGHTED_SUM,weighted-sum,1,1,2026-12-03T10:00:00.000Z,false,2026-12-02T16:20:00.000Z,points,emailOpens:+19; websiteVisits:+17.5; timeSpent:+11,,,\r\n`;

@ApiTags('leads')
@ApiBearerAuth()
@Controller('leads')
export class LeadExportController {
  constructor(private readonly exports: LeadExportService) {}

  @Get('scoring/export')
  @ApiOperation({
    summary: 'Every lead the caller may see with its score, as CSV or NDJSON (reps: their own)',
    description: [
      'Streamed in lead order (not ranked), in constant memory; `Content-Disposition: attachment`.',
      'The format comes from `format`, else the Accept header (`text/csv`, `application/x-ndjson`), else CSV.',
      'CSV: RFC 4180 with CRLF, a header row, `topFactors` as `feature:+contribution; …` (the 3 largest),',
      "cells that a spreadsheet would read as a formula (starting with = + - @ tab CR) prefixed with `'`.",
      'NDJSON: one JSON object per line, with every factor as an array.',
      'Not a snapshot: leads written during the export may or may not appear. At most 2 exports of a',
      'tenant run at once (429 beyond). A failure after the first row cuts the connection: a complete',
      'export is one whose chunked body ended normally.',
    ].join(' '),
  })
  @ApiHeader({
    name: 'Accept',
    required: false,
    description: '`text/csv` or `application/x-ndjson` when `format` is not given.',
  })
  @ApiOkResponse({
    description: 'The export, streamed.',
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="lead-scores-<tenant>-<yyyy-mm-dd>.<csv|ndjson>"',
        schema: { type: 'string' },
      },
    },
    content: {
      [EXPORT_MEDIA_TYPES.csv]: { schema: { type: 'string', example: CSV_EXAMPLE } },
      [EXPORT_MEDIA_TYPES.ndjson]: {
        schema: {
          type: 'string',
          description: `One object per line: ${JSON.stringify(Object.keys(NDJSON_LINE.properties))}.`,
        },
      },
    },
  })
  @ApiUnversionedErrorResponses(400, 401, 429, 503)
  async export(
    @CurrentUser() user: AuthUser,
    @Query() query: LeadExportQuery,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const format = chooseFormat(query.format, accept);
    await this.exports.stream({
      caller: user,
      filter: { minScore: query.minScore, ownerId: query.ownerId, status: query.status },
      format,
      out: res,
      start: () => {
        res.status(200);
        res.setHeader('Content-Type', `${EXPORT_MEDIA_TYPES[format]}; charset=utf-8`);
        res.setHeader(
          'Content-Disposition',
          `attachment; filename="${exportFileName(user.tenantId, new Date(), format)}"`,
        );
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    });
  }
}

/** The schema of one NDJSON line (for clients and tests). */
export const LEAD_EXPORT_NDJSON_LINE = NDJSON_LINE;
