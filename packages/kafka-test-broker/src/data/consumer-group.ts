import { randomUUID } from 'crypto';
import { ErrorCode, KafkaError } from '../protocol/errors';
import { CommittedOffsets } from './committed-offsets';

/** Kafka's group states (GroupState in kafka.coordinator.group); Dead is never reached here. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

/** Kafka's broker defaults group.min.session.timeout.ms and group.max.session.timeout.ms. */
const MIN_SESSION_TIMEOUT_MS = 6000;
const MAX_SESSION_TIMEOUT_MS = 1800000;

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinRequest {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  /** The member's address as the broker sees it (DescribeGroups shows it). */
  clientHost: string;
  sessionTimeoutMs: number;
  /** v0 has none: Kafka then uses the session timeout. */
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  /** JoinGroup v4+: a new member first gets its id with MEMBER_ID_REQUIRED and joins again with it. */
  requireKnownMemberId: boolean;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  /** Filled for the leader only: every member's metadata for the chosen protocol. */
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}

export interface SyncResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

/** A group as DescribeGroups shows it (Kafka's GroupMetadata.summary). */
export interface GroupSummary {
  state: GroupState;
  protocolType: string;
  /** The chosen protocol while Stable; '' otherwise. */
  protocolName: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }>;
}

interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  assignment: Buffer;
  awaitingJoin: ((result: JoinResult) => void) | null;
  awaitingSync: ((result: SyncResult) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
}

function joinFailure(errorCode: number, memberId: string): JoinResult {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] };
}

function syncFailure(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}

function sameProtocols(a: GroupProtocol[], b: GroupProtocol[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i].name && p.metadata.equals(b[i].metadata));
}

/** A timer that never keeps a stopping process alive. */
function unrefTimer(ms: number, run: () => void): NodeJS.Timeout {
  const timer = setTimeout(run, ms);
  timer.unref();
  return timer;
}

/**
 * One consumer group as Kafka's classic group coordinator runs it: members join (the first join of
 * a rebalance waits until every known member has rejoined or the rebalance timeout passes), the
 * leader's SyncGroup hands out the assignments, heartbeats keep members alive and tell them of a
 * rebalance, and a member silent past its session timeout is removed. Offsets are kept per group.
 */
export class ConsumerGroup {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly offsets = new CommittedOffsets();
  private readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED and not yet used to join. */
  private readonly pendingMemberIds = new Set<string>();
  private rebalanceTimer: NodeJS.Timeout | null = null;

  constructor(readonly groupId: string) {}

  /** Members with their metadata and assignment only while Stable, as Kafka's summary gives them. */
  summary(): GroupSummary {
    const stable = this.state === 'Stable';
    return {
      state: this.state,
      protocolType: this.protocolType ?? '',
      protocolName: stable ? (this.protocolName ?? '') : '',
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? (m.protocols.find((p) => p.name === this.protocolName)?.metadata ?? Buffer.alloc(0)) : Buffer.alloc(0),
        assignment: stable ? m.assignment : Buffer.alloc(0),
      })),
    };
  }

  hasMember(memberId: string): boolean {
    return this.members.has(memberId);
  }

  join(request: JoinRequest): Promise<JoinResult> {
    const { memberId } = request;
    if (request.protocolType === '' || request.protocols.length === 0 || !this.supportsProtocols(request)) {
      return Promise.resolve(joinFailure(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
    }
    if (request.sessionTimeoutMs < MIN_SESSION_TIMEOUT_MS || request.sessionTimeoutMs > MAX_SESSION_TIMEOUT_MS) {
      return Promise.resolve(joinFailure(ErrorCode.INVALID_SESSION_TIMEOUT, memberId));
    }
    if (memberId === '') {
      const newId = `${request.clientId}-${randomUUID()}`;
      if (request.requireKnownMemberId) {
        this.pendingMemberIds.add(newId);
        return Promise.resolve(joinFailure(ErrorCode.MEMBER_ID_REQUIRED, newId));
      }
      return this.addMemberAndRebalance(newId, request);
    }
    if (this.pendingMemberIds.delete(memberId)) return this.addMemberAndRebalance(memberId, request);
    const member = this.members.get(memberId);
    if (!member) return Promise.resolve(joinFailure(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    return this.rejoin(member, request);
  }

  sync(memberId: string, generationId: number, assignments: Array<{ memberId: string; assignment: Buffer }>): Promise<SyncResult> {
    const member = this.members.get(memberId);
    if (!member) return Promise.resolve(syncFailure(ErrorCode.UNKNOWN_MEMBER_ID));
    if (generationId !== this.generationId) return Promise.resolve(syncFailure(ErrorCode.ILLEGAL_GENERATION));
    this.touch(member);
    if (this.state === 'PreparingRebalance') return Promise.resolve(syncFailure(ErrorCode.REBALANCE_IN_PROGRESS));
    if (this.state === 'Stable') return Promise.resolve(this.syncResult(member));
    return new Promise((resolve) => {
      member.awaitingSync = resolve;
      if (memberId === this.leaderId) this.completeSync(assignments);
    });
  }

  /** The error code a heartbeat gets; a valid one keeps the member's session alive. */
  heartbeat(memberId: string, generationId: number): number {
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.touch(member);
    return this.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** The error code for one leaving member; the others rebalance without it. */
  leave(memberId: string): number {
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.remove(member);
    this.prepareRebalance();
    return ErrorCode.NONE;
  }

  /**
   * Kafka's checks before storing offsets: a commit without generation (-1) is only for a group
   * without members (manual assignment); otherwise member and generation must be current.
   */
  checkCommit(memberId: string, generationId: number): void {
    if (generationId < 0 && this.state === 'Empty') return;
    if (this.state === 'CompletingRebalance') throw new KafkaError(ErrorCode.REBALANCE_IN_PROGRESS, 'The group is rebalancing.');
    const member = this.members.get(memberId);
    if (!member) throw new KafkaError(ErrorCode.UNKNOWN_MEMBER_ID, `Unknown member ${memberId}.`);
    if (generationId !== this.generationId) throw new KafkaError(ErrorCode.ILLEGAL_GENERATION, `Generation ${generationId} is not the current ${this.generationId}.`);
    this.touch(member);
  }

  private supportsProtocols(request: JoinRequest): boolean {
    if (this.members.size === 0) return true;
    if (request.protocolType !== this.protocolType) return false;
    const others = [...this.members.values()].filter((m) => m.memberId !== request.memberId);
    return request.protocols.some((p) => others.every((m) => m.protocols.some((q) => q.name === p.name)));
  }

  private addMemberAndRebalance(memberId: string, request: JoinRequest): Promise<JoinResult> {
    const member: Member = {
      memberId,
      groupInstanceId: request.groupInstanceId,
      clientId: request.clientId,
      clientHost: request.clientHost,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols,
      assignment: Buffer.alloc(0),
      awaitingJoin: null,
      awaitingSync: null,
      sessionTimer: null,
    };
    this.members.set(memberId, member);
    if (this.members.size === 1) this.protocolType = request.protocolType;
    return this.awaitJoin(member);
  }

  private rejoin(member: Member, request: JoinRequest): Promise<JoinResult> {
    const unchanged = sameProtocols(member.protocols, request.protocols);
    member.protocols = request.protocols;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    if (request.rebalanceTimeoutMs > 0) member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    // A follower rejoining a settled generation with the same metadata just gets that generation back.
    if (unchanged && (this.state === 'CompletingRebalance' || (this.state === 'Stable' && member.memberId !== this.leaderId))) {
      this.touch(member);
      return Promise.resolve(this.joinResult(member));
    }
    return this.awaitJoin(member);
  }

  private awaitJoin(member: Member): Promise<JoinResult> {
    return new Promise((resolve) => {
      if (member.awaitingJoin) member.awaitingJoin(joinFailure(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
      member.awaitingJoin = resolve;
      this.clearSessionTimer(member);
      if (this.state !== 'PreparingRebalance') this.prepareRebalance();
      else this.completeJoinIfReady();
    });
  }

  private prepareRebalance(): void {
    // Members waiting for their assignment learn that it will not come in this generation.
    for (const m of this.members.values()) this.answerSync(m, syncFailure(ErrorCode.REBALANCE_IN_PROGRESS));
    this.state = 'PreparingRebalance';
    if (this.rebalanceTimer) clearTimeout(this.rebalanceTimer);
    const timeout = Math.max(0, ...[...this.members.values()].map((m) => m.rebalanceTimeoutMs));
    this.rebalanceTimer = unrefTimer(timeout, () => this.completeJoin());
    this.completeJoinIfReady();
  }

  private completeJoinIfReady(): void {
    if ([...this.members.values()].every((m) => m.awaitingJoin !== null)) this.completeJoin();
  }

  /** Starts the next generation with the members that rejoined; the others are dropped. */
  private completeJoin(): void {
    if (this.state !== 'PreparingRebalance') return;
    if (this.rebalanceTimer) clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = null;
    for (const m of [...this.members.values()]) if (!m.awaitingJoin) this.remove(m);
    this.generationId++;
    if (this.members.size === 0) {
      this.state = 'Empty';
      // Kafka keeps the protocol type of a group that empties (ListGroups/DescribeGroups show it); the next first member may change it.
      this.protocolName = null;
      this.leaderId = null;
      return;
    }
    this.state = 'CompletingRebalance';
    this.protocolName = this.electProtocol();
    if (this.leaderId === null || !this.members.has(this.leaderId)) this.leaderId = this.members.keys().next().value ?? null;
    for (const m of this.members.values()) {
      const answer = m.awaitingJoin;
      m.awaitingJoin = null;
      this.touch(m);
      answer?.(this.joinResult(m));
    }
  }

  /** Kafka's vote: each member votes for its most preferred protocol every member supports. */
  private electProtocol(): string {
    const members = [...this.members.values()];
    const candidates = members[0].protocols.map((p) => p.name).filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    const votes = new Map<string, number>();
    for (const m of members) {
      const choice = m.protocols.find((p) => candidates.includes(p.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    return [...votes.entries()].sort((a, b) => b[1] - a[1])[0][0];
  }

  private joinResult(member: Member): JoinResult {
    const isLeader = member.memberId === this.leaderId;
    return {
      errorCode: ErrorCode.NONE,
      generationId: this.generationId,
      protocolType: this.protocolType,
      protocolName: this.protocolName,
      leader: this.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader
        ? [...this.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            metadata: m.protocols.find((p) => p.name === this.protocolName)?.metadata ?? Buffer.alloc(0),
          }))
        : [],
    };
  }

  private completeSync(assignments: Array<{ memberId: string; assignment: Buffer }>): void {
    for (const m of this.members.values()) m.assignment = assignments.find((a) => a.memberId === m.memberId)?.assignment ?? Buffer.alloc(0);
    this.state = 'Stable';
    for (const m of this.members.values()) this.answerSync(m, this.syncResult(m));
  }

  private syncResult(member: Member): SyncResult {
    return { errorCode: ErrorCode.NONE, protocolType: this.protocolType, protocolName: this.protocolName, assignment: member.assignment };
  }

  private answerSync(member: Member, result: SyncResult): void {
    const answer = member.awaitingSync;
    member.awaitingSync = null;
    answer?.(result);
  }

  /** Restarts the member's session: silent for its session timeout, it is removed and the group rebalances. */
  private touch(member: Member): void {
    this.clearSessionTimer(member);
    member.sessionTimer = unrefTimer(member.sessionTimeoutMs, () => {
      if (this.members.get(member.memberId) !== member) return;
      this.remove(member);
      this.prepareRebalance();
    });
  }

  private clearSessionTimer(member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = null;
  }

  private remove(member: Member): void {
    this.clearSessionTimer(member);
    this.members.delete(member.memberId);
    member.awaitingJoin?.(joinFailure(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    member.awaitingJoin = null;
    this.answerSync(member, syncFailure(ErrorCode.UNKNOWN_MEMBER_ID));
  }
}
