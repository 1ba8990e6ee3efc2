import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { AuthModule } from '@/auth/auth.module';
import { registerFastCheck } from '@/common/validation/app-validation.pipe';
import { ScoringModule } from '@/scoring/scoring.module';

import { RecordInteractionsInput } from './dto/lead.inputs';
import { checkRecordInteractions } from './dto/record-interactions.fast-check';
import { LeadExportController } from './export/lead-export.controller';
import { LeadExportMetrics } from './export/lead-export.metrics';
import { LeadExportService } from './export/lead-export.service';
import { LeadExportSlots } from './export/lead-export-slots.service';
import { IngestController } from './ingest/ingest.controller';
import { WebhookSignatureGuard } from './ingest/webhook-signature.guard';
import { InteractionApplyService } from './interaction-apply.service';
import { InteractionBacklog } from './interaction-backlog.service';
import { InteractionWindows } from './interaction-windows.service';
import { InteractionsRepository } from './interactions.repository';
import { LeadClosingService } from './lead-closing.service';
import { LeadEngagementService } from './lead-engagement.service';
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
import { InteractionWindow, InteractionWindowSchema } from './schemas/interaction-window.schema';
import { Lead, LeadSchema } from './schemas/lead.schema';

// The thousand items of an ingestion call, checked without class-transformer and class-validator
// when valid (the full validation still answers whatever may not be).
registerFastCheck(RecordInteractionsInput, checkRecordInteractions);

@Module({})
export class LeadsModule {
  /** REST routes only where this process serves the API; processors only where it runs workers. */
  static register({ api, worker }: { api: boolean; worker: boolean }): DynamicModule {
    const scoring = ScoringModule.register({ worker });
    return {
      module: LeadsModule,
      imports: [
        AuthModule,
        scoring,
        MongooseModule.forFeature([
          { name: Lead.name, schema: LeadSchema },
          { name: Interaction.name, schema: InteractionSchema },
          { name: InteractionReceipt.name, schema: InteractionReceiptSchema },
          { name: InteractionWindow.name, schema: InteractionWindowSchema },
        ]),
      ],
      controllers: api ? [LeadsScoringController, LeadExportController, IngestController] : [],
      providers: [
        LeadsService,
        LeadEngagementService,
        InteractionApplyService,
        InteractionBacklog,
        InteractionWindows,
        InteractionsRepository,
        LeadRankingService,
        LeadsResolver,
        WebhookSignatureGuard,
        LeadClosingService,
        ...(api ? [LeadExportService, LeadExportSlots, LeadExportMetrics] : []),
        ...(worker ? [PendingInteractionsSweeper] : []),
      ],
      // Scoring too: modules built on leads read and refresh scores.
      exports: [
        LeadsService,
        LeadClosingService,
        LeadRankingService,
        InteractionsRepository,
        scoring,
      ],
    };
  }
}
