import { Server, Socket, createServer } from 'net';
import { BrokerNode } from '../cluster/cluster-state';
import { BrokerRuntime } from './broker-runtime';
import { Connection } from './connection';

/** One broker node's TCP listener. Several run in one process, one port each. */
export class BrokerNodeServer {
  private readonly connections = new Set<Connection>();
  private readonly server: Server;

  constructor(
    private readonly node: BrokerNode,
    runtime: BrokerRuntime,
  ) {
    this.server = createServer((socket: Socket) => {
      socket.setNoDelay(true);
      const connection = new Connection(socket, this.node, runtime);
      this.connections.add(connection);
      socket.on('close', () => this.connections.delete(connection));
    });
  }

  /** Binds (port 0 = any free port) and records the bound port on the node. */
  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        if (address && typeof address === 'object') this.node.port = address.port;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    for (const c of this.connections) c.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
