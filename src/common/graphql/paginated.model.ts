import { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';

/** What every list query answers: one page of items and where it stands. */
export interface PageOf<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

/** The GraphQL page type of an item type: `class LeadPageModel extends Paginated(LeadModel) {}`. */
export function Paginated<T>(item: Type<T>): Type<PageOf<T>> {
  @ObjectType({ isAbstract: true })
  abstract class Page implements PageOf<T> {
    @Field(() => [item])
    items!: T[];

    @Field(() => Int)
    page!: number;

    @Field(() => Int)
    limit!: number;

    @Field(() => Int)
    total!: number;

    @Field(() => Int)
    totalPages!: number;
  }
  return Page as unknown as Type<PageOf<T>>;
}
