import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { AuthModule } from '@/auth/auth.module';
import { ScoringModule } from '@/scoring/scoring.module';

import { IngestController } from './ingest/ingest.controller';
import { WebhookSignatureGuard } from './ingest/webhook-signature.guard';
import { LeadRankingService } from './lead-ranking.service';
import { LeadsScoringController } from './leads-scoring.controller';
import { LeadsResolver } from './leads.resolver';
import { LeadsService } from './leads.service';
import { Interaction, InteractionSchema } from './schemas/interaction.schema';
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
        ]),
      ],
      controllers: api ? [LeadsScoringController, IngestController] : [],
      providers: [LeadsService, LeadRankingService, LeadsResolver, WebhookSignatureGuard],
      exports: [LeadsService],
    };
  }
}
