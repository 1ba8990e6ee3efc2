import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, Max, Min } from 'class-validator';

/** The largest page any list query answers. */
export const MAX_PAGE_SIZE = 200;

/** `page` and `limit` of a list query; extend it with the list's own filter. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 1, description: '1 or more.' })
  @IsInt()
  @Min(1)
  page: number = 1;

  @Field(() => Int, { defaultValue: 50, description: `1 to ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;
}

/** The page part of a list's answer. */
export function pageInfo(args: Pick<PageArgs, 'page' | 'limit'>, total: number) {
  return {
    page: args.page,
    limit: args.limit,
    total,
    totalPages: Math.ceil(total / args.limit),
  };
}
