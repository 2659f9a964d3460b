/**
 * The client address of an HTTP tracker request: the TCP peer, or with `on_reverse_proxy` the
 * right-most parseable IP of all X-Forwarded-For entries (bare IPs only; `ip:port` forms are
 * skipped, as axum-client-ip does for Torrust). Never falls back to the connection address in
 * reverse-proxy mode. IPv4-mapped IPv6 addresses are unwrapped to IPv4. Extension
 * (`reverse_proxy_header = "x-real-ip"`): the header is X-Real-IP instead, which holds one bare
 * IP (the last line when repeated); anything else in it resolves to nothing.
 */
import { isIP } from 'node:net';
import type { ReverseProxyHeader } from '../config/configuration.js';
import { writeSocketIp } from '../shared/ip.js';

/**
 * Writes the client IP into `out`; returns its family, or 0 when none can be resolved.
 * `forwardedFor` is the value of the `header` in use (X-Forwarded-For by default).
 */
export function resolveClientIp(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  onReverseProxy: boolean,
  out: Uint8Array,
  header: ReverseProxyHeader = 'x-forwarded-for',
): 0 | 4 | 6 {
  if (!onReverseProxy) return socketAddress === undefined ? 0 : writeSocketIp(socketAddress, out);
  if (forwardedFor === undefined) return 0;
  if (header === 'x-real-ip') {
    const line = typeof forwardedFor === 'string' ? forwardedFor : forwardedFor[forwardedFor.length - 1];
    const ip = (line ?? '').trim();
    if (isIP(ip) === 0 || ip.includes('%')) return 0;
    return writeSocketIp(ip, out);
  }
  const headers = typeof forwardedFor === 'string' ? [forwardedFor] : forwardedFor;
  for (let h = headers.length - 1; h >= 0; h--) {
    const entries = headers[h].split(',');
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i].trim();
      // Only what Rust's `IpAddr` parses: no leading zeros (`01.2.3.4`), no zone (`fe80::1%eth0`).
      if (isIP(entry) === 0 || entry.includes('%')) continue;
      const family = writeSocketIp(entry, out);
      if (family !== 0) return family;
    }
  }
  return 0;
}
