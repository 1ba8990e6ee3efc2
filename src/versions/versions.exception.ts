import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import type { TransformationProblem } from '@/ml/transform/transformation.util';

/** At least this many closed leads make a dataset version. */
export const MIN_SNAPSHOT_ROWS = 1;

export class VersionsException extends AppException {
  static versionNotFound(id: string, path = 'id'): VersionsException {
    return new VersionsException(ErrorCode.NOT_FOUND, `no dataset version ${id}`, {
      fields: [{ path, messages: ['no such dataset version'] }],
    });
  }

  static buildNotFound(id: string): VersionsException {
    return new VersionsException(ErrorCode.NOT_FOUND, `no dataset version build ${id}`);
  }

  static emptySnapshot({ found, closed }: { found: number; closed: number }): VersionsException {
    const why =
      closed === 0
        ? 'the tenant has no closed leads'
        : `none of the tenant's ${closed} closed leads matches the filter`;
    return new VersionsException(
      ErrorCode.BAD_USER_INPUT,
      `nothing to snapshot: ${why}; a dataset version needs at least ${MIN_SNAPSHOT_ROWS} lead with an outcome (recordOutcome, or a CSV import with an outcome column)`,
      { needed: MIN_SNAPSHOT_ROWS, found, closed },
    );
  }

  static badTransformation(
    problems: readonly TransformationProblem[],
    prefix: string,
  ): VersionsException {
    const fields = problems.map((p) => ({ path: `${prefix}.${p.path}`, messages: [p.message] }));
    return new VersionsException(
      ErrorCode.BAD_USER_INPUT,
      `invalid transformation: ${fields.map((f) => `${f.path}: ${f.messages[0]}`).join('; ')}`,
      { fields },
    );
  }

  static inUse(id: string, users: readonly { kind: string; id: string }[]): VersionsException {
    const named = users.map((u) => `${u.kind.toLowerCase()} ${u.id}`).join(', ');
    return new VersionsException(
      ErrorCode.CONFLICT,
      `dataset version ${id} is in use by ${named}; retire or roll back those first`,
      { usedBy: users },
    );
  }

  static archived(id: string): VersionsException {
    return new VersionsException(
      ErrorCode.CONFLICT,
      `dataset version ${id} is archived; a deployed model cannot rely on it (create the version again to restore it)`,
      { archived: true },
    );
  }

  static queueUnavailable(buildId: string): VersionsException {
    return new VersionsException(
      ErrorCode.UNAVAILABLE,
      `the build could not be queued (the job queue is unreachable); build ${buildId} is recorded FAILED, retry shortly`,
      { buildId },
    );
  }

  /** An inline build's unexpected error: UNAVAILABLE when a backing service was, else INTERNAL. */
  static buildFailed(
    buildId: string,
    code: ErrorCode.UNAVAILABLE | ErrorCode.INTERNAL,
  ): VersionsException {
    const retry =
      code === ErrorCode.UNAVAILABLE ? ' (a backing service is unavailable; retry shortly)' : '';
    return new VersionsException(
      code,
      `the dataset version build failed${retry}; build ${buildId} is recorded FAILED with the reason`,
      { buildId },
    );
  }
}
