import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';

export class OutcomeMapping {
  @IsString()
  @Length(1, 100)
  column!: string;

  /** Cell values meaning converted (status CONVERTED), compared case-insensitively. */
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  converted!: string[];

  /** Cell values meaning lost (status LOST). */
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  lost!: string[];

  /**
   * A column with the date of the outcome (ISO 8601, or anything `Date` reads); without one,
   * imported outcomes are dated at the upload.
   */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  at?: string;
}

/**
 * Which CSV column feeds which lead field. `leadId` names a column; without one, `leadIdPrefix`
 * makes ids from row numbers (`BANK-1`, `BANK-2`...). `attributes` lists columns stored as free-form
 * attributes (numbers parsed as numbers); `"*"` takes every unmapped column.
 */
export class ImportMapping {
  @IsOptional()
  @IsString()
  @Length(1, 100)
  leadId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 40)
  @Matches(/^[A-Za-z0-9._:@\-/]+$/)
  leadIdPrefix?: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  email?: string;

  @IsOptional()
  @IsString()
  ownerId?: string;

  @IsOptional()
  @IsString()
  status?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => OutcomeMapping)
  outcome?: OutcomeMapping;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  attributes?: string[];
}
