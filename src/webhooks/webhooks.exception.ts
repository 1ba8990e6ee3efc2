import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

export class WebhooksException extends AppException {
  static notFound(): WebhooksException {
    return new WebhooksException(ErrorCode.NOT_FOUND, 'webhook not found');
  }

  static deliveryNotFound(): WebhooksException {
    return new WebhooksException(ErrorCode.NOT_FOUND, 'webhook delivery not found');
  }

  /** `field` is the input path, as class-validator's problems are reported. */
  static badUrl(field: string, problem: string): WebhooksException {
    return new WebhooksException(ErrorCode.BAD_USER_INPUT, `${field}: ${problem}`, {
      fields: [{ path: field, messages: [`${field} ${problem}`] }],
    });
  }

  static tooMany(limit: number): WebhooksException {
    return new WebhooksException(
      ErrorCode.BAD_USER_INPUT,
      `a tenant has at most ${limit} webhooks: delete one first`,
      { limit },
    );
  }

  static notRedeliverable(status: string): WebhooksException {
    return new WebhooksException(
      ErrorCode.CONFLICT,
      `only DEAD or SKIPPED deliveries are sent again (this one is ${status})`,
      { status },
    );
  }

  static paused(): WebhooksException {
    return new WebhooksException(
      ErrorCode.CONFLICT,
      'the webhook is paused: resume it before sending deliveries again',
    );
  }

  static queueUnavailable(): WebhooksException {
    return new WebhooksException(
      ErrorCode.UNAVAILABLE,
      'the delivery could not be queued; try again shortly',
    );
  }
}
