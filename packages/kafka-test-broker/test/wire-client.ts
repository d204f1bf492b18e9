import { Socket, connect } from 'net';
import { APIS } from '../src/apis';
import { API_VERSIONS_KEY } from '../src/apis/api-versions';
import { decodeMessage, encodeMessage, isFlexible } from '../src/protocol/codec';
import { ByteReader } from '../src/protocol/reader';
import { ByteWriter } from '../src/protocol/writer';

/**
 * A bare Kafka connection for what no client library here sends: flexible versions, unknown
 * versions, raw SASL tokens, requests out of SASL order. Responses are read in order.
 */
export class WireClient {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: Array<(frame: Buffer) => void> = [];
  private correlationId = 0;
  closed = false;
  private closeWaiters: Array<() => void> = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        this.waiting.shift()?.(frame);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.closeWaiters.forEach((w) => w());
    });
  }

  static open(bootstrap: string): Promise<WireClient> {
    const [host, port] = bootstrap.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), host, () => resolve(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one size-prefixed frame and waits for the next one back. */
  exchange(frame: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('connection closed'));
      this.waiting.push(resolve);
      this.closeWaiters.push(() => reject(new Error('connection closed')));
      const size = Buffer.alloc(4);
      size.writeInt32BE(frame.length);
      this.socket.write(Buffer.concat([size, frame]));
    });
  }

  /** Encodes `body` with the broker's own schema for (apiKey, version) and decodes the answer. */
  async request<T = Record<string, unknown>>(apiKey: number, version: number, body: object, clientId: string | null = 'wire-test'): Promise<T> {
    const api = APIS.find((a) => a.apiKey === apiKey);
    if (!api) throw new Error(`no schema for api ${apiKey}`);
    const correlationId = ++this.correlationId;
    const flexible = isFlexible(api.request, version);
    const writer = new ByteWriter().int16(apiKey).int16(version).int32(correlationId).nullableString(clientId);
    if (flexible) writer.uvarint(0);
    encodeMessage(api.request, version, body, writer);
    const reader = new ByteReader(await this.exchange(writer.toBuffer()));
    if (reader.int32() !== correlationId) throw new Error('correlation id mismatch');
    // ApiVersions answers with header v0 in every version (KIP-511).
    if (flexible && apiKey !== API_VERSIONS_KEY) reader.uvarint();
    return decodeMessage<T>(api.response, version, reader);
  }

  /** Resolves once the broker has closed the connection. */
  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }
}
