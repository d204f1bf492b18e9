/**
 * Suites that need a real peer (Kafka, Pulumi, Crossplane, a schema registry). Whether one runs is
 * decided by the peers' own cache (`npm run peers`), never by a double. Without the peer the suite is
 * skipped with the reason printed; with MESHFORM_REQUIRE_PEERS=1 (CI) a missing peer fails instead.
 */
import { envWithPeer, peerStatus, type PeerStatus } from '../src/status';

export const PEERS_REQUIRED = process.env.MESHFORM_REQUIRE_PEERS === '1';

/** The peer's status; prints why it is missing once per suite file. */
export function realPeer(name: string, what: string): PeerStatus {
  const status = peerStatus(name);
  if (status.missing && !PEERS_REQUIRED) process.stderr.write(`${what} skipped: ${status.missing}\n`);
  return status;
}

/**
 * `describe` when the peer is installed. Missing: a skipped placeholder that carries the reason, or,
 * with MESHFORM_REQUIRE_PEERS=1, a failing test that says what to install.
 */
export function describeWithPeer(name: string, title: string, body: (peer: Required<Pick<PeerStatus, 'home'>> & PeerStatus) => void): void {
  const status = realPeer(name, title);
  if (status.home) {
    describe(title, () => body(status as Required<Pick<PeerStatus, 'home'>> & PeerStatus));
    return;
  }
  describe(title, () => {
    if (PEERS_REQUIRED) {
      it(`needs the real ${name} peer`, () => {
        throw new Error(`MESHFORM_REQUIRE_PEERS=1 and ${status.missing}`);
      });
    } else {
      it.skip(`skipped: ${status.missing}`, () => undefined);
    }
  });
}

export { envWithPeer };
