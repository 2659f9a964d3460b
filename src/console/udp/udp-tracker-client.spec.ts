import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import {
  EVENT_STARTED,
  OFFSET_DOWNLOADED,
  OFFSET_EVENT,
  OFFSET_INFO_HASH,
  OFFSET_IP_ADDRESS,
  OFFSET_KEY,
  OFFSET_LEFT,
  OFFSET_NUM_WANT,
  OFFSET_PEER_ID,
  OFFSET_PORT,
  OFFSET_UPLOADED,
  PROTOCOL_ID,
} from '../../protocol/bep15/index.js';
import { TrackerRequestError } from '../cli-error.js';
import {
  BASELINE_PEER_ID,
  CLIENT_TRANSACTION_ID,
  UdpTrackerClient,
  defaultAnnounceParams,
  productionPeerId,
} from './udp-tracker-client.js';

const IH = Buffer.from('9c38422213e30bff212b30c360d26f9a02136422', 'hex');
const CONNECTION_ID = Buffer.from('0102030405060708', 'hex');

/** A scripted tracker: records every datagram and answers with `reply(packet)` (or not at all). */
class FakeTracker {
  readonly received: { packet: Buffer; from: RemoteInfo }[] = [];
  reply: (packet: Buffer) => Buffer | Buffer[] | null = () => null;
  private constructor(readonly socket: Socket) {
    socket.on('message', (packet, from) => {
      this.received.push({ packet, from });
      const out = this.reply(packet);
      for (const p of out === null ? [] : Array.isArray(out) ? out : [out]) socket.send(p, from.port, from.address);
    });
  }

  static async start(): Promise<FakeTracker> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    return new FakeTracker(socket);
  }

  get remote() {
    return { address: '127.0.0.1', family: 4 as const, port: this.socket.address().port };
  }
}

function connectReply(transactionId: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32BE(0, 0); // action connect (BEP 15)
  b.writeInt32BE(transactionId, 4);
  CONNECTION_ID.copy(b, 8);
  return b;
}

function errorReply(transactionId: number, message: string): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(3, 0); // action error
  b.writeInt32BE(transactionId, 4);
  return Buffer.concat([b, Buffer.from(message)]);
}

function announceReply(transactionId: number): Buffer {
  const b = Buffer.alloc(26);
  b.writeInt32BE(1, 0); // action announce
  b.writeInt32BE(transactionId, 4);
  b.writeInt32BE(120, 8); // interval
  b.writeInt32BE(0, 12); // leechers
  b.writeInt32BE(1, 16); // seeders
  Buffer.from([127, 0, 0, 1, 0x1a, 0xe1]).copy(b, 20); // one IPv4 peer
  return b;
}

async function rejection(promise: Promise<unknown>): Promise<TrackerRequestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TrackerRequestError, String(error));
    return error;
  }
  assert.fail('expected a TrackerRequestError');
}

describe('UdpTrackerClient', () => {
  let tracker: FakeTracker;
  before(async () => {
    tracker = await FakeTracker.start();
  });
  after(() => tracker.socket.close());

  it('sends Torrust`s connect and announce packets byte for byte', async () => {
    tracker.received.length = 0;
    tracker.reply = (p) =>
      p.readInt32BE(8) === 0 ? connectReply(p.readInt32BE(12)) : announceReply(p.readInt32BE(12));
    const client = await UdpTrackerClient.open(tracker.remote, 1000);
    try {
      const id = await client.connect(CLIENT_TRANSACTION_ID);
      assert.deepEqual(id, CONNECTION_ID);
      const response = await client.announce(CLIENT_TRANSACTION_ID, id, defaultAnnounceParams(IH));
      assert.equal(response.action, 1);

      const [connect, announce] = tracker.received.map((r) => r.packet);
      assert.equal(connect.length, 16);
      assert.equal(connect.readBigUInt64BE(0), PROTOCOL_ID); // magic
      assert.equal(connect.readInt32BE(8), 0); // action connect
      assert.equal(connect.readInt32BE(12), -888840697); // transaction id

      assert.equal(announce.length, 98);
      assert.deepEqual(announce.subarray(0, 8), CONNECTION_ID); // connection id
      assert.equal(announce.readInt32BE(8), 1); // action announce
      assert.equal(announce.readInt32BE(12), -888840697); // same transaction id
      assert.deepEqual(announce.subarray(OFFSET_INFO_HASH, OFFSET_INFO_HASH + 20), IH);
      assert.equal(announce.subarray(OFFSET_PEER_ID, OFFSET_PEER_ID + 20).toString(), '-qB00000000000000001');
      assert.equal(announce.readBigInt64BE(OFFSET_DOWNLOADED), 0n);
      assert.equal(announce.readBigInt64BE(OFFSET_LEFT), 0n);
      assert.equal(announce.readBigInt64BE(OFFSET_UPLOADED), 0n);
      assert.equal(announce.readInt32BE(OFFSET_EVENT), EVENT_STARTED);
      assert.equal(announce.readUInt32BE(OFFSET_IP_ADDRESS), 0);
      assert.equal(announce.readInt32BE(OFFSET_KEY), 0);
      assert.equal(announce.readInt32BE(OFFSET_NUM_WANT), 1);
      assert.equal(announce.readUInt16BE(OFFSET_PORT), client.localPort); // the client's own port
      assert.equal(tracker.received[1].from.port, client.localPort);
    } finally {
      client.close();
    }
  });

  it('sends the scrape packet with every info-hash and returns an error packet as a response', async () => {
    tracker.received.length = 0;
    tracker.reply = (p) =>
      p.readInt32BE(8) === 0 ? connectReply(p.readInt32BE(12)) : errorReply(p.readInt32BE(12), 'nope');
    const client = await UdpTrackerClient.open(tracker.remote, 1000);
    try {
      const id = await client.connect(1);
      const other = Buffer.alloc(20, 7);
      const response = await client.scrape(1, id, [IH, other]);
      assert.deepEqual(response, { action: 3, transactionId: 1, message: 'nope' });
      const scrape = tracker.received[1].packet;
      assert.equal(scrape.length, 16 + 40);
      assert.equal(scrape.readInt32BE(8), 2); // action scrape
      assert.equal(scrape.readInt32BE(12), 1);
      assert.deepEqual(scrape.subarray(16, 36), IH);
      assert.deepEqual(scrape.subarray(36, 56), other);
    } finally {
      client.close();
    }
  });

  it('fails the connect step on any reply that is not a connect reply', async () => {
    tracker.reply = (p) => errorReply(p.readInt32BE(12), 'banned');
    const client = await UdpTrackerClient.open(tracker.remote, 1000);
    try {
      const error = await rejection(client.connect(1));
      assert.equal(
        error.message,
        'Failed to get a connection response: {"Error":{"transaction_id":1,"message":"banned"}}',
      );
      assert.equal(error.timeout, false);
    } finally {
      client.close();
    }
  });

  it('fails on a datagram that is not a tracker response', async () => {
    tracker.reply = () => Buffer.from([0, 0, 0, 9, 0, 0, 0, 1]);
    const client = await UdpTrackerClient.open(tracker.remote, 1000);
    try {
      const error = await rejection(client.connect(1));
      assert.match(
        error.message,
        /^Failed to receive a connect response, with error: Failed to parse response: 8 bytes \(0000000900000001\), with error: unknown action 9$/,
      );
    } finally {
      client.close();
    }
  });

  it('times out, with Torrust`s message, when nothing comes back', async () => {
    tracker.reply = () => null;
    const client = await UdpTrackerClient.open(tracker.remote, 100);
    try {
      const error = await rejection(client.connect(1));
      assert.equal(
        error.message,
        'Failed to receive a connect response, with error: Timeout while waiting for the socket to become readable.',
      );
      assert.equal(error.timeout, true);
    } finally {
      client.close();
    }
  });

  it('ignores a late reply to an earlier step', async () => {
    let n = 0;
    tracker.reply = (p) => (++n === 1 ? null : [connectReply(p.readInt32BE(12))]);
    const client = await UdpTrackerClient.open(tracker.remote, 100);
    try {
      await rejection(client.connect(1)); // no answer: times out
      assert.deepEqual(await client.connect(2), CONNECTION_ID);
    } finally {
      client.close();
    }
  });

  it('makes Torrust`s newer peer id: -RC3000- and 12 digits', () => {
    assert.match(productionPeerId().toString(), /^-RC3000-\d{12}$/);
    assert.equal(productionPeerId(() => 0.99).toString(), '-RC3000-999999999999');
    assert.equal(BASELINE_PEER_ID.length, 20);
  });
});
