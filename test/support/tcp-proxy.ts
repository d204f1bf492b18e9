/**
 * A loopback TCP proxy in front of one Kafka listener: `cut()` drops every connection and refuses
 * new ones (a network partition), `restore()` lets connections through again, `hold()` stalls
 * clients (a slow run) until `release()`, and `requests()`
 * counts the Kafka requests clients sent through it by API key, handshake included, whatever the
 * broker (what real Kafka cannot tell a test). `watch` sees each request as it arrives and may cut
 * the connection right there (the request never reaches the broker) or as its answer comes back
 * (the broker has carried it out; the client never learns the outcome).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1:<port>` (or `[::1]:<port>`) to connect to instead of the target. */
  address: string;
  cut(): void;
  restore(): void;
  /** Holds what clients send (connections stay open; nothing reaches the broker) until `release()`. */
  hold(): void;
  release(): void;
  /** Requests seen from clients, by Kafka API key, since the start or the last reset. */
  requests(): Map<number, number>;
  /** The same requests' API keys in the order they arrived. */
  log(): number[];
  resetRequests(): void;
  /** Each request frame as it arrives (size prefix stripped): return 'before' or 'at-answer' to cut there. */
  watch(watcher: RequestWatcher | undefined): void;
  close(): Promise<void>;
}

/** A request seen at the proxy: its API key and its bytes (header and body). */
export type RequestWatcher = (request: { apiKey: number; frame: Buffer }) => 'before' | 'at-answer' | void;

/** `listen`: the loopback address the proxy listens on, `::1` for an IPv6 bootstrap address. */
export async function startTcpProxy(target: string, listen: '127.0.0.1' | '::1' = '127.0.0.1'): Promise<TcpProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  const counts = new Map<number, number>();
  const log: number[] = [];
  let open = true;
  let held = false;
  let watcher: RequestWatcher | undefined;
  const cut = () => {
    open = false;
    for (const s of sockets) s.destroy();
  };
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host, port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    clients.add(client);
    client.on('close', () => clients.delete(client));
    let cutAtAnswer = false;
    // Registered before the pipes, so a cut here comes before the chunk is passed on.
    client.on(
      'data',
      frameCounter(counts, log, (apiKey, frame) => {
        const action = watcher?.({ apiKey, frame });
        if (action === 'before') cut();
        else if (action === 'at-answer') cutAtAnswer = true;
      }),
    );
    upstream.on('data', () => {
      if (cutAtAnswer) cut();
    });
    client.pipe(upstream);
    upstream.pipe(client);
    if (held) client.pause();
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, listen, resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    address: listen === '::1' ? `[::1]:${address.port}` : `127.0.0.1:${address.port}`,
    cut,
    restore: () => {
      open = true;
    },
    hold: () => {
      held = true;
      for (const c of clients) c.pause();
    },
    release: () => {
      held = false;
      for (const c of clients) c.resume();
    },
    requests: () => new Map(counts),
    log: () => [...log],
    resetRequests: () => {
      counts.clear();
      log.length = 0;
    },
    watch: (w) => {
      watcher = w;
    },
    close: async () => {
      open = false;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Counts size-prefixed request frames (int32 size, then int16 api key) in one client's byte stream. */
function frameCounter(counts: Map<number, number>, log: number[], seen: (apiKey: number, frame: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 6) {
      const size = pending.readInt32BE(0);
      if (pending.length < 4 + size) return;
      const apiKey = pending.readInt16BE(4);
      counts.set(apiKey, (counts.get(apiKey) ?? 0) + 1);
      log.push(apiKey);
      const frame = pending.subarray(4, 4 + size);
      pending = pending.subarray(4 + size);
      seen(apiKey, frame);
    }
  };
}
