/**
 * Host name resolution for the UDP client and checker: IP literals are used as they are, names
 * go through the system resolver and the first address wins (as Rust's `to_socket_addrs()[0]`).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TrackerRequestError } from './cli-error.js';
import { formatHostPort } from './targets.js';
import { withTimeout } from './timeout.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
  port: number;
}

export async function resolveAddress(host: string, port: number, timeoutMs: number): Promise<ResolvedAddress> {
  const literal = isIP(host);
  if (literal === 4 || literal === 6) return { address: host, family: literal, port };
  try {
    const found = await withTimeout(
      lookup(host, { all: true }),
      timeoutMs,
      `Timeout while resolving \`${formatHostPort(host, port)}\``,
    );
    const first = found[0];
    if (!first) throw new TrackerRequestError(`DNS resolution failed for \`${formatHostPort(host, port)}\``);
    return { address: first.address, family: first.family === 6 ? 6 : 4, port };
  } catch (error) {
    if (error instanceof TrackerRequestError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new TrackerRequestError(`DNS resolution failed for \`${formatHostPort(host, port)}\`: ${code}`);
  }
}
