/**
 * Client quotas read with Kafka's own `kafka.admin.ConfigCommand` (kafka-tools.ts runs it from the
 * kafka peer's jars): an independent reader of client quotas, which neither kafkajs nor
 * kafka-python 2.0.2 can describe.
 */
import { kafkaConfigs } from './kafka-tools';
import type { SaslLogin } from './python-kafka';

/**
 * The client-quota values Kafka reports for a user entity, by key (`producer_byte_rate` -> 1048576),
 * parsed from ConfigCommand's `Quota configs for user-principal '<user>' are k=v, k=v` line; `{}`
 * when it reports none.
 */
export async function describeUserQuotasWithKafka(bootstrap: string, login: SaslLogin, user: string): Promise<Record<string, number>> {
  const { code, stdout, stderr } = await kafkaConfigs(bootstrap, login, ['--describe', '--entity-type', 'users', '--entity-name', user]);
  if (code !== 0) throw new Error(`ConfigCommand exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const line = stdout.split('\n').find((l) => l.includes(`user-principal '${user}'`));
  if (!line) return {};
  const values = line.slice(line.indexOf(' are ') + ' are '.length);
  return Object.fromEntries(
    values
      .split(',')
      .map((kv) => kv.trim())
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), Number(kv.slice(kv.indexOf('=') + 1))]),
  );
}
