import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { AuthModule } from '@/auth/auth.module';
import { ScoringModule } from '@/scoring/scoring.module';

import { IngestController } from './ingest/ingest.controller';
import { IMPORTS_QUEUE } from './import/lead-import.constants';
import { LeadImportController } from './import/lead-import.controller';
import { LeadImportProcessor } from './import/lead-import.processor';
import {
  LeadImport,
  LeadImportRow,
  LeadImportRowSchema,
  LeadImportSchema,
} from './import/lead-import.schema';
import { LeadImportService } from './import/lead-import.service';
import { WebhookSignatureGuard } from './ingest/webhook-signature.guard';
import { InteractionsRepository } from './interactions.repository';
import { LeadRankingService } from './lead-ranking.service';
import { LeadsScoringController } from './leads-scoring.controller';
import { LeadsResolver } from './leads.resolver';
import { LeadsService } from './leads.service';
import { PendingInteractionsSweeper } from './pending-interactions.sweeper';
import {
  Interaction,
  InteractionReceipt,
  InteractionReceiptSchema,
  InteractionSchema,
} from './schemas/interaction.schema';
import { Lead, LeadSchema } from './schemas/lead.schema';

@Module({})
export class LeadsModule {
  /** REST routes only where this process serves the API; processors only where it runs workers. */
  static register({ api, worker }: { api: boolean; worker: boolean }): DynamicModule {
    return {
      module: LeadsModule,
      imports: [
        AuthModule,
        ScoringModule.register({ worker }),
        MongooseModule.forFeature([
          { name: Lead.name, schema: LeadSchema },
          { name: Interaction.name, schema: InteractionSchema },
          { name: InteractionReceipt.name, schema: InteractionReceiptSchema },
          { name: LeadImport.name, schema: LeadImportSchema },
          { name: LeadImportRow.name, schema: LeadImportRowSchema },
        ]),
        BullModule.registerQueue({ name: IMPORTS_QUEUE }),
      ],
      controllers: api ? [LeadsScoringController, IngestController, LeadImportController] : [],
      providers: [
        LeadsService,
        InteractionsRepository,
        LeadRankingService,
        LeadsResolver,
        WebhookSignatureGuard,
        LeadImportService,
        ...(worker ? [LeadImportProcessor, PendingInteractionsSweeper] : []),
      ],
      exports: [LeadsService],
    };
  }
}
