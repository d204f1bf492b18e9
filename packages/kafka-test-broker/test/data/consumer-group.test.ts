import { ConsumerGroup, JoinRequest } from '../../src/data/consumer-group';

function joinRequest(memberId: string, overrides: Partial<JoinRequest> = {}): JoinRequest {
  return {
    memberId,
    groupInstanceId: null,
    clientId: 'c',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 6000,
    rebalanceTimeoutMs: 6000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from(memberId || 'new') }],
    requireKnownMemberId: false,
    ...overrides,
  };
}

describe('ConsumerGroup (classic coordinator state machine)', () => {
  afterEach(() => jest.useRealTimers());

  it('runs join, sync and heartbeat for one member', async () => {
    const group = new ConsumerGroup('g');
    const joined = await group.join(joinRequest(''));
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range', leader: joined.memberId });
    expect(joined.members.map((m) => m.memberId)).toEqual([joined.memberId]);
    expect(group.heartbeat(joined.memberId, 1)).toBe(0);
    const synced = await group.sync(joined.memberId, 1, [{ memberId: joined.memberId, assignment: Buffer.from('p0') }]);
    expect(synced).toMatchObject({ errorCode: 0, assignment: Buffer.from('p0') });
    expect(group.state).toBe('Stable');
    expect(group.heartbeat(joined.memberId, 0)).toBe(22);
    expect(group.heartbeat('stranger', 1)).toBe(25);
  });

  it('makes a second member wait until the first rejoins, telling the first by heartbeat (27)', async () => {
    const group = new ConsumerGroup('g');
    const a = await group.join(joinRequest(''));
    await group.sync(a.memberId, 1, [{ memberId: a.memberId, assignment: Buffer.from('all') }]);
    const bJoin = group.join(joinRequest(''));
    expect(group.state).toBe('PreparingRebalance');
    expect(group.heartbeat(a.memberId, 1)).toBe(27);
    const aAgain = await group.join(joinRequest(a.memberId));
    const b = await bJoin;
    expect([aAgain.generationId, b.generationId]).toEqual([2, 2]);
    expect(aAgain.leader).toBe(a.memberId);
    expect(aAgain.members).toHaveLength(2);
    expect(b.members).toEqual([]);
    // The follower's SyncGroup waits for the leader's assignments.
    const bSync = group.sync(b.memberId, 2, []);
    await group.sync(a.memberId, 2, [
      { memberId: a.memberId, assignment: Buffer.from('p0') },
      { memberId: b.memberId, assignment: Buffer.from('p1') },
    ]);
    expect((await bSync).assignment).toEqual(Buffer.from('p1'));
    expect(group.leave(b.memberId)).toBe(0);
    expect(group.leave(b.memberId)).toBe(25);
    expect(group.heartbeat(a.memberId, 2)).toBe(27);
  });

  it('drops a member silent past its session timeout, and an empty group takes manual commits', async () => {
    jest.useFakeTimers();
    const group = new ConsumerGroup('g');
    const a = await group.join(joinRequest(''));
    await group.sync(a.memberId, 1, [{ memberId: a.memberId, assignment: Buffer.alloc(0) }]);
    expect(() => group.checkCommit('', -1)).toThrow(expect.objectContaining({ code: 25 }));
    jest.advanceTimersByTime(6001);
    expect(group.hasMember(a.memberId)).toBe(false);
    expect(group.state).toBe('Empty');
    expect(group.generationId).toBe(2);
    expect(() => group.checkCommit('', -1)).not.toThrow();
  });

  it('refuses mismatched protocols (23) and session timeouts outside the broker limits (26)', async () => {
    const group = new ConsumerGroup('g');
    await group.join(joinRequest(''));
    expect((await group.join(joinRequest('', { protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }] }))).errorCode).toBe(23);
    expect((await group.join(joinRequest('', { sessionTimeoutMs: 1000 }))).errorCode).toBe(26);
  });
});
