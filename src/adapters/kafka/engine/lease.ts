/**
 * The cluster's lease: one meshform run changes a cluster at a time (`kafka apply`, the Pulumi
 * provider, the test kit), and a second one waits for the first or refuses with who holds it.
 *
 * The lease is a set of ACL bindings on one resource, TOPIC `__meshform_lease` LITERAL, DENY READ
 * for a principal no client authenticates as, `User:meshform-lease/<expires at>/<run id>/<who>`:
 * Kafka stores them, every meshform run can read them, and no one's rights change. Taking it:
 *
 * 1. Read the lease bindings. Another run's binding that has not expired: wait (poll) or refuse.
 * 2. Announce: create our binding, and read until the broker shows it.
 * 3. Look again: another run's live binding besides ours means two announced at once; withdraw
 *    ours, wait a random moment and start again. Otherwise the lease is ours.
 *
 * Why at most one run holds it: the cluster's metadata is one ordered log (KRaft; with ZooKeeper
 * the ACLs of one resource are one versioned node), and a broker shows a prefix of it. Of two
 * announcements, the later one's run sees the earlier one once it sees its own, so it withdraws.
 * (Both may withdraw; then both try again after random delays.)
 *
 * A holder renews its binding every third of the time to live, with a new expiry; a run that
 * crashes stops renewing, and its binding is ignored (and removed) once it has expired. Expiry is
 * the holder's clock: clocks of the machines involved must agree to well within the time to live.
 * A holder that cannot renew in time (paused, cut off) has lost the lease: `assertHeld` says so.
 */
import { hostname, userInfo } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { KafkaAclProps } from '../../../plan/types';
import type { KafkaWire } from '../client/wire';

/** Seconds a run waits for another run's lease (`kafka apply --lease-wait` wins over it). */
export const LEASE_WAIT_ENV = 'MESHFORM_KAFKA_LEASE_WAIT';

/** `seconds` when given (a flag), else MESHFORM_KAFKA_LEASE_WAIT when it is a whole number, else `fallbackSeconds`; in ms. */
export function leaseWaitMs(seconds: number | undefined, fallbackSeconds: number, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env[LEASE_WAIT_ENV]?.trim();
  return (seconds ?? (fromEnv && /^\d+$/.test(fromEnv) ? Number(fromEnv) : fallbackSeconds)) * 1000;
}

export const LEASE_RESOURCE = { resourceType: 'TOPIC', patternType: 'LITERAL', resourceName: '__meshform_lease' } as const;
const PRINCIPAL = 'User:meshform-lease/';

/** One run's lease binding, read back. */
export interface LeaseHolder {
  runId: string;
  /** Milliseconds since the epoch, by the holder's clock. */
  expiresAt: number;
  /** `user@host pid 123: meshform kafka apply`, as the holder described itself. */
  who: string;
}

export interface LeaseOptions {
  /** How long a binding lives without renewal (default 60 s). */
  ttlMs?: number;
  /** How long to wait for another run's lease (default 120 s); 0 refuses at once. */
  waitMs?: number;
  /** How this run describes itself to others (default user@host pid N). */
  who?: string;
  /** Called when this run starts waiting for a holder, and when the holder changes. */
  onWait?: (holder: LeaseHolder) => void;
  /** Between reads while waiting (default 1 s). */
  pollMs?: number;
  now?: () => number;
}

/** Another run holds the cluster's lease and did not release it in time; nothing was changed. */
export class LeaseBusy extends Error {
  constructor(
    readonly holder: LeaseHolder,
    /** How long this run was willing to wait (0: not at all). */
    readonly waitMs: number,
  ) {
    const until = new Date(holder.expiresAt).toISOString();
    super(
      `another meshform run is changing this cluster: ${holder.who} holds its lease (until ${until} unless renewed)${
        waitMs > 0 ? `; waited ${waitMs < 1000 ? `${waitMs} ms` : `${Math.round(waitMs / 1000)} s`}` : ''
      }. Nothing was changed: run again when it is done${waitMs > 0 ? ', or wait longer' : ', or let it wait for the lease'}`,
    );
  }
}

/** The lease could not be renewed in time: another run may now hold it. */
export class LeaseLost extends Error {}

export function leaseBinding(holder: LeaseHolder): KafkaAclProps {
  return {
    ...LEASE_RESOURCE,
    principal: `${PRINCIPAL}${holder.expiresAt}/${holder.runId}/${encodeURIComponent(holder.who)}`,
    operation: 'READ',
    permission: 'DENY',
    host: '*',
  };
}

/** The holder a lease binding stands for, or undefined for any other binding on the resource. */
export function leaseHolderOf(acl: KafkaAclProps): LeaseHolder | undefined {
  if (acl.resourceType !== LEASE_RESOURCE.resourceType || acl.patternType !== LEASE_RESOURCE.patternType || acl.resourceName !== LEASE_RESOURCE.resourceName) return undefined;
  if (!acl.principal.startsWith(PRINCIPAL)) return undefined;
  const [expires, runId, who, ...rest] = acl.principal.slice(PRINCIPAL.length).split('/');
  if (rest.length > 0 || !/^\d+$/.test(expires ?? '') || !runId || who === undefined) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(who);
  } catch {
    return undefined;
  }
  return { runId, expiresAt: Number(expires), who: decoded };
}

export function describeSelf(command: string): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (a container's arbitrary uid)
  }
  return `${user}@${hostname()} pid ${process.pid}: ${command}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ClusterLease {
  private binding: KafkaAclProps;
  private renewal?: NodeJS.Timeout;
  private renewing?: Promise<void>;
  private lost?: string;
  private released = false;

  private constructor(
    private readonly wire: KafkaWire,
    private holder: LeaseHolder,
    private readonly ttlMs: number,
    private readonly now: () => number,
    /** Whether another run's lease was seen while taking this one (its changes may be newer than what this run read before). */
    readonly contended: boolean,
  ) {
    this.binding = leaseBinding(holder);
    this.renewal = setInterval(() => void this.renew(), Math.max(1, Math.floor(ttlMs / 3)));
    this.renewal.unref();
  }

  get runId(): string {
    return this.holder.runId;
  }

  /** Takes the cluster's lease, waiting up to `waitMs` for another run's; LeaseBusy when it is not released in time. */
  static async acquire(wire: KafkaWire, options: LeaseOptions = {}, runId = randomBytes(6).toString('hex')): Promise<ClusterLease> {
    const now = options.now ?? Date.now;
    const ttlMs = options.ttlMs ?? 60_000;
    const waitMs = options.waitMs ?? 120_000;
    const pollMs = options.pollMs ?? 1000;
    const who = options.who ?? describeSelf('meshform');
    const started = now();
    let waitingFor: string | undefined;
    let contended = false;
    for (;;) {
      const others = await foreignLeases(wire, runId, now());
      if (others.length > 0) {
        contended = true;
        const holder = others[0];
        const waited = now() - started;
        if (waited >= waitMs) throw new LeaseBusy(holder, waitMs);
        if (waitingFor !== holder.runId) options.onWait?.(holder);
        waitingFor = holder.runId;
        await sleep(Math.min(pollMs, waitMs - waited));
        continue;
      }
      const holder: LeaseHolder = { runId, expiresAt: now() + ttlMs, who };
      const binding = leaseBinding(holder);
      await createOrThrow(wire, binding);
      await untilVisible(wire, binding);
      const rivals = await foreignLeases(wire, runId, now());
      if (rivals.length === 0) return new ClusterLease(wire, holder, ttlMs, now, contended);
      // Two runs announced at once: both step back, then try again at different moments.
      contended = true;
      await wire.deleteAcls([binding]);
      await sleep(100 + Math.floor(Math.random() * 900));
    }
  }

  /** Throws LeaseLost when the lease could not be renewed in time: stop changing the cluster. */
  assertHeld(): void {
    if (this.lost) throw new LeaseLost(`the cluster's lease was lost (${this.lost}): another run may be changing the cluster; stopped`);
    if (this.now() >= this.holder.expiresAt) throw new LeaseLost("the cluster's lease expired before it could be renewed: another run may be changing the cluster; stopped");
  }

  /**
   * Removes this run's binding; the lease is free for the next run. `visible`: then reads until the
   * broker no longer shows it. A broker applies the cluster's metadata log in order, so once it
   * shows the removal it shows every change this run made before it: a reader that comes next
   * (`pulumi refresh` right after an up whose changes were confirmed by the broker's answers, not
   * read back) sees them. Gives up after `timeoutMs` without an error (the lease is free anyway).
   */
  async release(options: { visible?: boolean; timeoutMs?: number } = {}): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.renewal);
    await this.renewing?.catch(() => undefined);
    const binding = this.binding;
    const [removed] = await this.wire.deleteAcls([binding]).catch(() => [undefined]);
    if (!options.visible || removed?.errorCode !== 0) return;
    await untilShown(this.wire, (acls) => !acls.some((a) => a.principal === binding.principal), options.timeoutMs ?? 30_000).catch(() => undefined);
  }

  /** A new binding with a later expiry, then the old one removed: there is always a live binding of this run. */
  private renew(): Promise<void> {
    if (this.released || this.renewing) return this.renewing ?? Promise.resolve();
    this.renewing = (async () => {
      // Later than the current expiry even within one millisecond: the old binding is then another one.
      const next: LeaseHolder = { ...this.holder, expiresAt: Math.max(this.now() + this.ttlMs, this.holder.expiresAt + 1) };
      const binding = leaseBinding(next);
      try {
        await createOrThrow(this.wire, binding);
        const old = this.binding;
        [this.holder, this.binding] = [next, binding];
        await this.wire.deleteAcls([old]);
      } catch (e) {
        this.lost ??= `renewal failed: ${(e as Error).message}`;
      }
    })().finally(() => (this.renewing = undefined));
    return this.renewing;
  }
}

/**
 * The live lease bindings of other runs, the one expiring last first. Expired ones are removed on
 * the way (each by its exact binding: a live one is never touched).
 */
async function foreignLeases(wire: KafkaWire, runId: string, now: number): Promise<LeaseHolder[]> {
  const acls = await wire.describeAcls(LEASE_RESOURCE);
  const live: LeaseHolder[] = [];
  const expired: KafkaAclProps[] = [];
  for (const acl of acls) {
    const holder = leaseHolderOf(acl);
    if (!holder || holder.runId === runId) continue;
    if (holder.expiresAt > now) live.push(holder);
    else expired.push(acl);
  }
  if (expired.length > 0) await wire.deleteAcls(expired).catch(() => undefined);
  return live.sort((a, b) => b.expiresAt - a.expiresAt);
}

async function createOrThrow(wire: KafkaWire, binding: KafkaAclProps): Promise<void> {
  const [result] = await wire.createAcls([binding]);
  if (result && result.errorCode !== 0) {
    throw new Error(`cannot write the cluster's lease (an ACL on TOPIC ${LEASE_RESOURCE.resourceName}): ${result.errorMessage ?? `error ${result.errorCode}`}`);
  }
}

/** A broker shows its metadata a little after the controller has it: read until the binding is there. */
async function untilVisible(wire: KafkaWire, binding: KafkaAclProps, timeoutMs = 30_000): Promise<void> {
  await untilShown(wire, (acls) => acls.some((a) => a.principal === binding.principal), timeoutMs);
}

/** Reads the lease bindings until `shown` holds of them; throws after `timeoutMs`. */
async function untilShown(wire: KafkaWire, shown: (acls: KafkaAclProps[]) => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    if (shown(await wire.describeAcls(LEASE_RESOURCE))) return;
    if (Date.now() - started > timeoutMs) throw new Error(`the broker did not show the cluster's lease as expected within ${timeoutMs / 1000} s`);
    await sleep(delay);
  }
}
