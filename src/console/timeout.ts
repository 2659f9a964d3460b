/**
 * The per-step time limit of the console tools (Torrust's DEFAULT_TIMEOUT is 5 s): a promise
 * raced against a timer that rejects with a timeout `TrackerRequestError`.
 */
import { TrackerRequestError } from './cli-error.js';

/** Torrust's `DEFAULT_TIMEOUT`: 5 s per UDP socket step, HTTP request or health request. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Rejects with a timeout `TrackerRequestError` carrying `message` when `promise` takes too long. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TrackerRequestError(message, true)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
