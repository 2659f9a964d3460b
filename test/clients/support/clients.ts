/**
 * Which real BitTorrent clients this machine has: libtorrent-rasterbar through Debian's
 * python3-libtorrent (run with Debian's own interpreter, /usr/bin/python3, or $LT_PYTHON) and
 * aria2 (aria2c). test/clients/install-clients.sh installs both.
 */
import { spawnSync } from 'node:child_process';

export const LT_PYTHON = process.env.LT_PYTHON ?? '/usr/bin/python3';
export const ARIA2C = process.env.ARIA2C ?? 'aria2c';

export interface ClientVersions {
  libtorrent?: string;
  aria2?: string;
}

export function clientVersions(): ClientVersions {
  const versions: ClientVersions = {};
  const lt = spawnSync(LT_PYTHON, ['-c', 'import libtorrent; print(libtorrent.__version__)'], { encoding: 'utf8' });
  if (lt.status === 0) versions.libtorrent = lt.stdout.trim();
  const aria2 = spawnSync(ARIA2C, ['--version'], { encoding: 'utf8' });
  if (aria2.status === 0) versions.aria2 = /aria2 version (\S+)/.exec(aria2.stdout)?.[1] ?? aria2.stdout.split('\n')[0];
  return versions;
}

/**
 * Undefined when both clients are installed; otherwise the reason to skip, announced loudly on
 * stderr. With TEST_CLIENTS_REQUIRED=1 a missing client is an error instead of a skip.
 */
export function clientsSkipReason(): string | undefined {
  const versions = clientVersions();
  const missing: string[] = [];
  if (!versions.libtorrent) missing.push(`python3-libtorrent (import libtorrent with ${LT_PYTHON})`);
  if (!versions.aria2) missing.push(`aria2 (${ARIA2C})`);
  if (missing.length === 0) {
    console.log(`# BitTorrent clients: libtorrent ${versions.libtorrent} (python), aria2 ${versions.aria2}`);
    return undefined;
  }
  const reason = `BitTorrent clients missing: ${missing.join(', ')}; run: sudo bash test/clients/install-clients.sh`;
  const banner = '!'.repeat(100);
  console.error(`\n${banner}\n!!! SKIPPING THE REAL-CLIENT TRANSFER TESTS: ${reason}\n${banner}\n`);
  if (process.env.TEST_CLIENTS_REQUIRED === '1') throw new Error(`TEST_CLIENTS_REQUIRED=1 but ${reason}`);
  return reason;
}
