import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, Length } from 'class-validator';

import { PageArgs } from '@/common/graphql/page.args';

import { MlModelStatus, MlModelType } from '../schemas/ml-model.schema';

@ArgsType()
export class MlModelsArgs extends PageArgs {
  @Field(() => MlModelStatus, { nullable: true })
  @IsOptional()
  @IsEnum(MlModelStatus)
  status?: MlModelStatus;

  @Field(() => MlModelType, { nullable: true })
  @IsOptional()
  @IsEnum(MlModelType)
  type?: MlModelType;
}

@ArgsType()
export class MlModelIdArgs {
  @Field(() => ID, { description: '"weighted-sum" (version 1) or a trained model\'s id.' })
  @IsString()
  @Length(1, 100)
  id!: string;
}
