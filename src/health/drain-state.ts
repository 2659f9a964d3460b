/**
 * DrainState: set when a graceful shutdown begins, so readiness fails before the listeners
 * stop (Kubernetes stops routing new clients first), and read by the health probes.
 */
import { Injectable } from '@nestjs/common';

@Injectable()
export class DrainState {
  private startedAt: number | null = null;

  get draining(): boolean {
    return this.startedAt !== null;
  }

  start(): void {
    this.startedAt ??= Date.now();
  }
}
