import { Injectable } from '@nestjs/common';

import { AuditAction } from '@/audit/audit-action.enum';
import { AuditService } from '@/audit/audit.service';

import type { ScoreWrite } from '../score-write.util';
import type { OverrideChange } from './score-override.util';

const ACTIONS: Record<OverrideChange, AuditAction> = {
  SET: AuditAction.SCORE_OVERRIDE_SET,
  CLEARED: AuditAction.SCORE_OVERRIDE_CLEARED,
  EXPIRED: AuditAction.SCORE_OVERRIDE_EXPIRED,
};

/**
 * The audit log of override changes, written for the score writes that won: a set or clear by
 * its manager, an expiry (by the sweep, a read or any rescoring that found it lapsed) by nobody.
 */
@Injectable()
export class OverrideAuditTrail {
  constructor(private readonly audit: AuditService) {}

  async record(tenantId: string, won: readonly ScoreWrite[], actorId?: string): Promise<void> {
    for (const write of won) {
      const change = write.overrideChange;
      if (!change) continue;
      const { doc } = write;
      await this.audit.record({
        action: ACTIONS[change],
        tenantId,
        actorId: change === 'EXPIRED' ? null : (actorId ?? null),
        targetId: doc.leadRef.toHexString(),
        details: {
          leadId: doc.leadId,
          shownScore: doc.score,
          modelScore: doc.modelScore,
          ...(doc.override
            ? {
                override: doc.override.score,
                reason: doc.override.reason,
                expiresAt: doc.override.expiresAt?.toISOString() ?? null,
              }
            : {}),
        },
      });
    }
  }
}
