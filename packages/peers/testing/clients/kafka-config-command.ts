/**
 * Kafka's own `kafka.admin.ConfigCommand` (the class behind kafka-configs.sh), run from the kafka
 * peer's jars: an independent reader of client quotas, which neither kafkajs nor kafka-python 2.0.2
 * can describe.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerStatus } from '../../src/status';
import { runCaptured } from './kcat';
import type { SaslLogin } from './python-kafka';

/** `java.util.Properties` escaping for a value. */
function propertyValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/**
 * The client-quota values Kafka reports for a user entity, by key (`producer_byte_rate` -> 1048576),
 * parsed from ConfigCommand's `Quota configs for user-principal '<user>' are k=v, k=v` line; `{}`
 * when it reports none.
 */
export async function describeUserQuotasWithKafka(bootstrap: string, login: SaslLogin, user: string): Promise<Record<string, number>> {
  const home = peerStatus('kafka').home;
  if (!home) throw new Error('the kafka peer is not installed (npm run -s peers -- install kafka)');
  const dir = mkdtempSync(join(tmpdir(), 'meshform-config-command-'));
  try {
    const config = join(dir, 'admin.properties');
    const jaas = `org.apache.kafka.common.security.plain.PlainLoginModule required username="${login.username}" password="${login.password}";`;
    writeFileSync(config, ['security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=PLAIN', `sasl.jaas.config=${propertyValue(jaas)}`].join('\n') + '\n');
    const args = ['-cp', `${home}/libs/*`, 'kafka.admin.ConfigCommand', '--bootstrap-server', bootstrap, '--command-config', config, '--describe', '--entity-type', 'users', '--entity-name', user];
    const { code, stdout, stderr } = await runCaptured('java', args, undefined, 120_000);
    if (code !== 0) throw new Error(`ConfigCommand exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const line = stdout.split('\n').find((l) => l.includes(`user-principal '${user}'`));
    if (!line) return {};
    const values = line.slice(line.indexOf(' are ') + ' are '.length);
    return Object.fromEntries(values.split(',').map((kv) => kv.trim()).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), Number(kv.slice(kv.indexOf('=') + 1))]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
