/**
 * The client name of a peer id (`peer_id.client` in `GET /api/v1/torrent/{hash}`), for the
 * common clients only: Azureus-style ids (`-qB4630-…`), a few Shadow-style and
 * vendor-specific prefixes (Mainline `M7-4-0--`, Tixati `TIX…`, aria2 `A2-…`). Names follow the
 * registry Torrust uses (tdyne-peer-id-registry). Unknown → null.
 */

/** Azureus-style two-character codes: `-XXvvvv-`. */
const AZUREUS: Readonly<Record<string, string>> = {
  AG: 'Ares',
  'A~': 'Ares',
  AT: 'Artemis',
  AZ: 'Vuze',
  BB: 'BitBuddy',
  BC: 'BitComet',
  BF: 'BitFlu',
  BG: 'BTG',
  BI: 'BiglyBT',
  BL: 'BitLord',
  BR: 'BitRocket',
  BT: 'BitTorrent',
  BW: 'BitWombat',
  BX: 'BittorrentX',
  CD: 'Enhanced CTorrent',
  CT: 'CTorrent',
  DE: 'Deluge',
  EB: 'EBit',
  FD: 'Free Download Manager',
  FG: 'FlashGet',
  FT: 'FoxTorrent/RedSwoosh',
  FX: 'Freebox BitTorrent',
  GR: 'GetRight',
  GS: 'GS Torrent',
  HL: 'Halite',
  HN: 'Hydranode',
  KG: 'KGet',
  KT: 'KTorrent',
  LC: 'LeechCraft',
  LP: 'Lphant',
  LT: 'libtorrent (Rasterbar)',
  lt: 'libTorrent (Rakshasa) / rTorrent',
  LW: 'LimeWire',
  MG: 'MediaGet',
  MO: 'MonoTorrent',
  MP: 'MooPolice',
  MR: 'Miro',
  NX: 'Net Transport',
  OS: 'OneSwarm',
  PD: 'Pando',
  PT: 'Popcorn Time',
  qB: 'qBittorrent',
  QD: 'qqdownload',
  RT: 'Retriever',
  SD: '\u8FC5\u96F7\u5728\u7EBF (Xunlei)',
  SZ: 'Shareaza',
  'S~': 'Shareaza alpha/beta',
  ST: 'SymTorrent',
  TN: 'Torrent.NET',
  TR: 'Transmission',
  TS: 'TorrentStorm',
  TT: 'TuoTu',
  UE: '\u00B5Torrent Embedded',
  UL: 'uLeecher!',
  UM: '\u00B5Torrent Mac',
  UT: '\u00B5Torrent',
  UW: '\u00B5Torrent Web',
  VG: '\u54C7\u560E (Vagaa)',
  WD: 'WebTorrent Desktop',
  WW: 'WebTorrent',
  WY: 'FireTorrent',
  XF: 'Xfplay',
  XL: '\u8FC5\u96F7\u5728\u7EBF (Xunlei)',
  XT: 'XanTorrent',
  XX: 'XTorrent',
  ZT: 'ZipTorrent',
  ZO: 'Zona',
};

/** Shadow-style first characters: `T03I-----…` (letter, 3 version characters, dashes). */
const SHADOW: Readonly<Record<string, string>> = {
  A: 'ABC',
  O: 'Osprey Permaseed',
  Q: 'BTQueue',
  R: 'Tribler',
  S: 'Shad0w',
  T: 'BitTornado',
  U: 'UPnP NAT',
};

/** Prefixes of other well-known ids, longest first. */
const PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['-aria2-', 'Aria'],
  ['exbc', 'BitComet'],
  ['Mbrst', 'Burst!'],
  ['btpd', 'BT Protocol Daemon'],
  ['Plus', 'Plus!'],
  ['TIX', 'Tixati'],
  ['XBT', 'XBT'],
  ['A2', 'Aria'],
];

function ascii(id: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to && i < id.length; i++) s += String.fromCharCode(id[i]);
  return s;
}

/** The client's name, or null when the id matches no known scheme. */
export function peerClientName(id: Uint8Array): string | null {
  const head = ascii(id, 0, 9);
  if (head.length >= 8 && head[0] === '-' && head[7] === '-') {
    const name = AZUREUS[head.slice(1, 3)];
    if (name !== undefined) return name;
  }
  for (const [prefix, name] of PREFIXES) if (head.startsWith(prefix)) return name;
  // Mainline: M<major>-<minor>-<patch>-- (minor may have two digits).
  if (/^M\d-\d{1,2}-\d-/.test(head)) return 'Mainline';
  if (/^[A-Z][0-9A-Za-z.]{3}---/.test(head)) {
    const name = SHADOW[head[0]];
    if (name !== undefined) return name;
  }
  return null;
}
