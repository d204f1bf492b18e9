/**
 * The registry container's readiness check runs inside the container and reads the kernel's socket
 * tables. The same command is run here on this machine's own tables, against a port a server
 * listens on and one nobody does: the kernel is the oracle.
 */
import { execFileSync } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { listeningInside } from '../../src/testing/containers';

function succeeds(command: string): boolean {
  try {
    execFileSync('/bin/sh', ['-c', command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function listen(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}

describe('listeningInside (the registry container is ready when its port listens)', () => {
  it('succeeds for a port a server listens on (IPv4) and fails once it is closed', async () => {
    const server = await listen('127.0.0.1');
    const { port } = server.address() as AddressInfo;
    expect(succeeds(listeningInside(port))).toBe(true);
    await new Promise((r) => server.close(r));
    expect(succeeds(listeningInside(port))).toBe(false);
  });

  it('reads the IPv6 table too', async () => {
    let server: Server;
    try {
      server = await listen('::1');
    } catch (e) {
      // No IPv6 loopback on this machine: the IPv4 case above still holds the command to the kernel.
      expect((e as NodeJS.ErrnoException).code).toMatch(/EADDRNOTAVAIL|EAFNOSUPPORT/);
      return;
    }
    const { port } = server.address() as AddressInfo;
    expect(succeeds(listeningInside(port))).toBe(true);
    await new Promise((r) => server.close(r));
  });

  it('a port with open connections but no listener is not listening', async () => {
    const server = await listen('127.0.0.1');
    const { port } = server.address() as AddressInfo;
    const client = connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    const closed = new Promise((r) => server.close(r));
    // The listener is gone; the accepted connection still holds the port as an established socket.
    expect(succeeds(`cat /proc/net/tcp | awk '{print $2}' | grep -q ':${port.toString(16).toUpperCase().padStart(4, '0')}$'`)).toBe(true);
    expect(succeeds(listeningInside(port))).toBe(false);
    client.destroy();
    await closed;
  });
});
