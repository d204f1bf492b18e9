/**
 * When a provisioned Kafka serves the products: a topic just created has a leader in the metadata
 * a moment before that broker serves it (ListOffsets then answers NOT_LEADER_OR_FOLLOWER), and ACLs
 * reach the authorizer a moment after CreateAcls returns. `startMeshKafka` returns only once
 *   - every created partition answers ListOffsets from its leader (as the admin), and
 *   - every principal sees in its own metadata, with a leader for each partition, every topic the
 *     plan's ACLs let it read or write (decided as the StandardAuthorizer decides: catalog/access.ts).
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { topicAccess, topicAcls } from '../catalog/access';
import type { Plan } from '../plan/types';

export interface Credentials {
  username: string;
  password: string;
}

const POLL_MS = 100;

/** The topics each principal may read or write under the plan's ACLs. */
export function visibleTopics(plan: Plan, principals: string[]): Map<string, string[]> {
  const topics = plan.resources.flatMap((r) => (r.kind === 'kafka:Topic' ? [r.properties.topic] : []));
  const acls = topicAcls(plan.resources);
  return new Map(
    principals.map((principal) => [
      principal,
      topics.filter((topic) => {
        const access = topicAccess(acls, principal, topic);
        return access.read || access.write;
      }),
    ]),
  );
}

async function withAdmin<T>(bootstrap: string, user: Credentials, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ brokers: [bootstrap], clientId: 'meshform-testing-ready', logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', ...user }, retry: { retries: 0 } }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Repeats `attempt` until it returns undefined (done) or the deadline passes; then throws its last reason. */
async function until(deadline: number, what: string, attempt: () => Promise<string | undefined>): Promise<void> {
  let last = 'not tried';
  for (;;) {
    try {
      const reason = await attempt();
      if (reason === undefined) return;
      last = reason;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${what} within the time allowed: ${last}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export async function waitUntilServing(options: {
  bootstrap: string;
  plan: Plan;
  admin: Credentials;
  credentials: Record<string, Credentials>;
  timeoutMs?: number;
}): Promise<void> {
  const { bootstrap, plan, admin, credentials } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const topics = plan.resources.flatMap((r) => (r.kind === 'kafka:Topic' ? [r.properties.topic] : []));
  if (topics.length) {
    await until(deadline, 'the created partitions were not served by their leaders', () =>
      withAdmin(bootstrap, admin, async (client) => {
        for (const topic of topics) await client.fetchTopicOffsets(topic);
        return undefined;
      }),
    );
  }
  const visible = visibleTopics(plan, Object.keys(credentials));
  for (const [principal, expected] of visible) {
    if (!expected.length) continue;
    await until(deadline, `${principal} did not see its topics`, () =>
      withAdmin(bootstrap, credentials[principal], async (client) => {
        const { topics: seen } = await client.fetchTopicMetadata({ topics: expected });
        const leaderless = seen.filter((t) => t.partitions.some((p) => p.leader < 0)).map((t) => t.name);
        return leaderless.length ? `no leader yet for ${leaderless.join(', ')}` : undefined;
      }),
    );
  }
}
