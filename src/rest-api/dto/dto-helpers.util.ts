import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';

export type InheritedPropertyDoc = ApiPropertyOptions & { readonly optional?: true };

/**
 * Documents the properties a REST body inherits from a GraphQL input class. The input's own
 * class-validator rules validate the body (one set of rules for both APIs); this only adds what
 * OpenAPI shows, so every entry names its `type`.
 */
export function documentInherited<T>(
  target: Type<T>,
  properties: Partial<Record<keyof T & string, InheritedPropertyDoc>>,
): void {
  for (const [key, doc] of Object.entries(properties) as [string, InheritedPropertyDoc][]) {
    const { optional, ...options } = doc;
    const decorate = optional ? ApiPropertyOptional : ApiProperty;
    decorate(options)(target.prototype as object, key);
  }
}

export const DATE_TIME = { type: String, format: 'date-time' } as const;
export const NULLABLE_DATE_TIME = { ...DATE_TIME, nullable: true } as const;
