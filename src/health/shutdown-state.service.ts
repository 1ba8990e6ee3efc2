import { Injectable } from '@nestjs/common';

/** Set when SIGTERM arrives, so health answers 503 and load balancers stop sending traffic. */
@Injectable()
export class ShutdownStateService {
  private shuttingDown = false;

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }
}
