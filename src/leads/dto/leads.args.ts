import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { PageArgs } from '@/common/graphql/page.args';
import { ValidationDependsOnValueOnly } from '@/common/validation/app-validation.pipe';
import { RescoreLeadsFilter } from '@/scoring/dto/rescore-leads.input';

export enum LeadSortField {
  SCORE = 'SCORE',
  LAST_ACTIVITY = 'LAST_ACTIVITY',
}
registerEnumType(LeadSortField, {
  name: 'LeadSortField',
  description: 'Descending unless `order: ASC`; ties broken by lead id (reversed with the order).',
});

export enum SortOrder {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortOrder, { name: 'SortOrder' });

/** The rescoring filter plus a text search. */
@InputType()
export class LeadFilterInput extends RescoreLeadsFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Part of the lead id, name or email (case-insensitive).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}

@ArgsType()
@ValidationDependsOnValueOnly()
export class LeadsArgs extends PageArgs {
  @Field(() => LeadFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LeadFilterInput)
  filter?: LeadFilterInput;

  @Field(() => LeadSortField, { defaultValue: LeadSortField.SCORE })
  @IsEnum(LeadSortField)
  sort: LeadSortField = LeadSortField.SCORE;

  @Field(() => SortOrder, {
    defaultValue: SortOrder.DESC,
    description: 'DESC: highest score (or latest activity) first; ASC: the exact reverse.',
  })
  @IsEnum(SortOrder)
  order: SortOrder = SortOrder.DESC;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Recompute stale scores on the page first.',
  })
  @IsBoolean()
  refresh: boolean = false;

  @Field(() => Boolean, { defaultValue: false, description: 'Also return the stored attributes.' })
  @IsBoolean()
  includeRaw: boolean = false;
}
