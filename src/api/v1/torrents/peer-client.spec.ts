import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { peerClientName } from './peer-client.js';

const id = (text: string) => Buffer.from(text.padEnd(20, 'x').slice(0, 20), 'latin1');

describe('peerClientName', () => {
  it('names Azureus-style ids of the common clients', () => {
    const cases: Array<[string, string]> = [
      ['-qB4630-', 'qBittorrent'],
      ['-TR4060-', 'Transmission'],
      ['-DE211s-', 'Deluge'],
      ['-lt0D80-', 'libTorrent (Rakshasa) / rTorrent'],
      ['-LT2000-', 'libtorrent (Rasterbar)'],
      ['-UT355W-', '\u00B5Torrent'],
      ['-BT7a5W-', 'BitTorrent'],
      ['-AZ5750-', 'Vuze'],
      ['-BI3000-', 'BiglyBT'],
      ['-KT5100-', 'KTorrent'],
      ['-WW0105-', 'WebTorrent'],
    ];
    for (const [prefix, name] of cases) assert.equal(peerClientName(id(prefix)), name, prefix);
  });

  it('names vendor-specific and Shadow-style ids', () => {
    assert.equal(peerClientName(id('A2-1-32-0-')), 'Aria');
    assert.equal(peerClientName(id('-aria2-')), 'Aria');
    assert.equal(peerClientName(id('TIX0193-')), 'Tixati');
    assert.equal(peerClientName(id('M7-4-0--')), 'Mainline');
    assert.equal(peerClientName(id('T03I-----')), 'BitTornado');
  });

  it('answers null for unknown or binary ids', () => {
    assert.equal(peerClientName(id('-ZZ0000-')), null);
    assert.equal(peerClientName(Buffer.alloc(20)), null);
    assert.equal(peerClientName(Buffer.alloc(20, 0xff)), null);
  });
});
