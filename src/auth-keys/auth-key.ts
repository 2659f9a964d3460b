/**
 * Authentication keys (private mode): the key format (exactly 32 ASCII alphanumerics,
 * Torrust's AUTH_KEY_LENGTH), generation from a CSPRNG with a uniform alphanumeric
 * distribution, expiry arithmetic and Torrust's `expiry_time` text.
 */
import { randomInt } from 'node:crypto';

export const AUTH_KEY_LENGTH = 32;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const FORMAT = /^[0-9A-Za-z]{32}$/;
/** Latest instant a JS Date can represent; later expiries are refused as overflows. */
const MAX_TIME_MS = 8.64e15;

export interface AuthKey {
  readonly key: string;
  /** Milliseconds since the epoch; null = permanent. */
  readonly validUntilMs: number | null;
}

export class AuthKeyFormatError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class AuthKeyDurationError extends Error {
  constructor(readonly secondsValid: number) {
    super(`invalid auth key duration: "${secondsValid}"`);
  }
}

export function isValidKeyFormat(key: string): boolean {
  return FORMAT.test(key);
}

/** Throws AuthKeyFormatError with Torrust's reason text when `key` is not a valid key. */
export function assertKeyFormat(key: string): void {
  if (key.length !== AUTH_KEY_LENGTH)
    throw new AuthKeyFormatError(key, 'Invalid key length. Key must be have 32 chars');
  if (!FORMAT.test(key)) {
    throw new AuthKeyFormatError(key, 'Invalid chars for key. Key can only alphanumeric chars (0-9, a-z, A-Z)');
  }
}

export function generateKey(): string {
  let key = '';
  for (let i = 0; i < AUTH_KEY_LENGTH; i++) key += ALPHABET[randomInt(ALPHABET.length)];
  return key;
}

/** `now + secondsValid`, or null for a permanent key; throws AuthKeyDurationError on overflow. */
export function expiryFor(nowMs: number, secondsValid: number | null): number | null {
  if (secondsValid === null) return null;
  const until = nowMs + secondsValid * 1000;
  if (!Number.isSafeInteger(secondsValid) || secondsValid < 0 || until > MAX_TIME_MS) {
    throw new AuthKeyDurationError(secondsValid);
  }
  return until;
}

/** Expired when `valid_until < now` (a key is still valid at exactly its expiry). */
export function isExpired(validUntilMs: number | null, nowMs: number): boolean {
  return validUntilMs !== null && validUntilMs < nowMs;
}

/** Torrust's `expiry_time`: `2023-03-28 13:25:00.058 UTC` (fraction only when non-zero). */
export function formatExpiryTime(validUntilMs: number): string {
  const iso = new Date(validUntilMs).toISOString(); // 2023-03-28T13:25:00.058Z
  const ms = validUntilMs % 1000;
  const whole = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return ms === 0 ? `${whole} UTC` : `${whole}.${iso.slice(20, 23)} UTC`;
}
