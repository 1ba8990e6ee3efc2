import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { IMPORTS_QUEUE } from './lead-import.constants';
import { LeadImportController } from './lead-import.controller';
import { LeadImportProcessor } from './lead-import.processor';
import {
  LeadImport,
  LeadImportRow,
  LeadImportRowSchema,
  LeadImportSchema,
} from './lead-import.schema';
import { LeadImportService } from './lead-import.service';

/**
 * CSV import of leads and their outcomes: above both the leads module (which writes the leads)
 * and the feedback module (which keeps the outcomes as labels), so neither imports the other.
 */
@Module({})
export class LeadImportModule {
  static register({
    leads,
    feedback,
    api,
    worker,
  }: {
    leads: DynamicModule;
    feedback: DynamicModule;
    api: boolean;
    worker: boolean;
  }): DynamicModule {
    return {
      module: LeadImportModule,
      imports: [
        leads,
        feedback,
        MongooseModule.forFeature([
          { name: LeadImport.name, schema: LeadImportSchema },
          { name: LeadImportRow.name, schema: LeadImportRowSchema },
        ]),
        BullModule.registerQueue({ name: IMPORTS_QUEUE }),
      ],
      controllers: api ? [LeadImportController] : [],
      providers: [LeadImportService, ...(worker ? [LeadImportProcessor] : [])],
    };
  }
}
