import { Socket } from 'net';
import { Api, NO_RESPONSE, RequestContext, Session } from '../apis/api';
import { API_VERSIONS_KEY, unsupportedApiVersionsResponse } from '../apis/api-versions';
import { BrokerNode } from '../cluster/cluster-state';
import { decodeMessage, encodeMessage, isFlexible } from '../protocol/codec';
import { readRequestHeader, skipHeaderTags, writeResponseHeader } from '../protocol/header';
import { ByteReader, MalformedFrameError } from '../protocol/reader';
import { inRange } from '../protocol/schema';
import { ByteWriter } from '../protocol/writer';
import { verifyPlainToken } from '../security/sasl-plain';
import { BrokerRuntime } from './broker-runtime';

/** Kafka's default socket.request.max.bytes: a larger size prefix is garbage, not a request. */
const MAX_FRAME_BYTES = 100 * 1024 * 1024;

const ANONYMOUS = 'User:ANONYMOUS';

/**
 * One client connection: size-prefixed frames in, answered strictly in order (as Kafka does per
 * connection), through the SASL gate when the listener is SASL_PLAINTEXT. Anything Kafka would
 * answer by closing the connection (unknown API, unsupported version, malformed frame, a request
 * before authentication) closes it here too.
 */
export class Connection {
  private pending: Buffer = Buffer.alloc(0);
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly session: Session;

  constructor(
    private readonly socket: Socket,
    private readonly node: BrokerNode,
    private readonly runtime: BrokerRuntime,
  ) {
    this.session = {
      principal: ANONYMOUS,
      clientHost: (socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
      saslPhase: runtime.settings.saslUsers ? 'awaiting-handshake' : 'not-sasl',
      closeAfterResponse: false,
    };
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
    // Clients resetting connections is normal; the close handler is all that matters.
    socket.on('error', () => undefined);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME_BYTES) return this.close();
      if (this.pending.length < 4 + size) return;
      const frame = this.pending.subarray(4, 4 + size);
      this.pending = this.pending.subarray(4 + size);
      this.queue = this.queue.then(() => this.serve(frame)).catch((e: unknown) => this.fail(e));
    }
  }

  private fail(e: unknown): void {
    if (!(e instanceof MalformedFrameError)) {
      process.stderr.write(`kafka-test-broker: internal error, closing connection: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    this.close();
  }

  private async serve(frame: Buffer): Promise<void> {
    if (this.closed) return;
    if (this.session.saslPhase === 'awaiting-raw-token') return this.serveRawSaslToken(frame);
    const reader = new ByteReader(frame);
    const header = readRequestHeader(reader);
    const api = this.runtime.apis.find((a) => a.apiKey === header.apiKey);
    if (!api || this.runtime.faults.shouldDrop()) return this.close();
    if (!inRange(api.versions, header.apiVersion)) {
      if (api.apiKey !== API_VERSIONS_KEY) return this.close();
      this.runtime.stats.record(api.name);
      return this.respond(header.correlationId, api, 0, false, unsupportedApiVersionsResponse(this.runtime.apis));
    }
    if (this.mustAuthenticateFirst(api)) return this.close();
    const flexible = isFlexible(api.request, header.apiVersion);
    if (flexible) skipHeaderTags(reader);
    const request = decodeMessage<unknown>(api.request, header.apiVersion, reader);
    this.runtime.stats.record(api.name);
    const context: RequestContext = {
      cluster: this.runtime.cluster,
      authorizer: this.runtime.authorizer,
      settings: this.runtime.settings,
      node: this.node,
      session: this.session,
      header,
      apiVersion: header.apiVersion,
      apis: this.runtime.apis,
    };
    const response = await api.handle(request, context);
    if (response === NO_RESPONSE) return;
    // ApiVersions always answers with header v0 so that any client can read it (KIP-511).
    const flexibleHeader = flexible && api.apiKey !== API_VERSIONS_KEY;
    await this.respond(header.correlationId, api, header.apiVersion, flexibleHeader, response);
    if (this.session.closeAfterResponse) {
      this.closed = true;
      this.socket.end();
    }
  }

  private mustAuthenticateFirst(api: Api): boolean {
    const phase = this.session.saslPhase;
    return phase !== 'not-sasl' && phase !== 'authenticated' && !api.beforeAuthentication;
  }

  /** After SaslHandshake v0 the token comes bare; success is an empty frame, failure a closed connection. */
  private async serveRawSaslToken(token: Buffer): Promise<void> {
    const outcome = verifyPlainToken(token, this.runtime.settings.saslUsers ?? {});
    if (!outcome.ok) return this.close();
    this.session.principal = `User:${outcome.user}`;
    this.session.saslPhase = 'authenticated';
    await this.write(Buffer.alloc(0));
  }

  private async respond(correlationId: number, api: Api, version: number, flexibleHeader: boolean, response: object): Promise<void> {
    const writer = new ByteWriter();
    writeResponseHeader(writer, correlationId, flexibleHeader);
    encodeMessage(api.response, version, response, writer);
    await this.write(writer.toBuffer());
  }

  private async write(body: Buffer): Promise<void> {
    const delay = this.runtime.faults.delayMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.closed) return;
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(body.length);
    this.socket.write(Buffer.concat([size, body]));
  }
}
