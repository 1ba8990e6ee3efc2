import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { FeedbackStatsService } from './feedback-stats.service';
import { FeedbackResolver } from './feedback.resolver';
import { OutcomePointersService } from './outcome-pointers.service';
import { OutcomesService } from './outcomes.service';
import { RepFeedbackService } from './rep-feedback.service';
import { OutcomeRecord, OutcomeRecordSchema } from './schemas/outcome.schema';
import { RepFeedback, RepFeedbackSchema } from './schemas/rep-feedback.schema';

/**
 * Outcomes (converted / lost) and reps' ratings of scores: the labels and quality signals the
 * learning half trains and reports on.
 */
@Module({})
export class FeedbackModule {
  /** `leads`: the one LeadsModule of the app (closing leads, their scores). */
  static register({ leads }: { leads: DynamicModule }): DynamicModule {
    return {
      module: FeedbackModule,
      imports: [
        leads,
        MongooseModule.forFeature([
          { name: OutcomeRecord.name, schema: OutcomeRecordSchema },
          { name: RepFeedback.name, schema: RepFeedbackSchema },
        ]),
      ],
      providers: [
        OutcomesService,
        OutcomePointersService,
        RepFeedbackService,
        FeedbackStatsService,
        FeedbackResolver,
      ],
      exports: [OutcomesService, RepFeedbackService],
    };
  }
}
