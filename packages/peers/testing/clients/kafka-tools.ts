/**
 * Kafka's own command-line tools, run from the kafka peer's jars as `kafka-configs.sh` runs them
 * (`kafka.admin.ConfigCommand`): a client that shares nothing with meshform or kafkajs, for changing
 * a real cluster behind meshform's back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaLayout, propertiesText } from '../../src/kafka-cluster';
import { requireTool } from '../../src/process';
import { runCaptured, type KcatRun } from './kcat';
import { peerStatus } from '../../src/status';
import type { SaslLogin } from './python-kafka';

export type ToolRun = KcatRun;

const RUN_TIMEOUT_MS = 60_000;

/**
 * `kafka-configs --bootstrap-server <bootstrap> --command-config <SASL PLAIN login> <args>`, e.g.
 * `['--entity-type', 'topics', '--entity-name', 't', '--alter', '--add-config', 'retention.ms=1000']`.
 * The password goes only into a private properties file, deleted afterwards.
 */
export async function kafkaConfigs(bootstrap: string, login: SaslLogin, args: string[]): Promise<ToolRun> {
  const home = peerStatus('kafka').home;
  if (!home) throw new Error('kafka-configs needs the kafka peer: npm run peers -- install kafka');
  const java = requireTool('java', 'Kafka needs a Java runtime >= 17 (apt-get install openjdk-17-jre-headless)');
  const layout = kafkaLayout(home);
  const dir = mkdtempSync(join(tmpdir(), 'meshform-kafka-tool-'));
  try {
    const config = join(dir, 'client.properties');
    const jaas = `org.apache.kafka.common.security.plain.PlainLoginModule required username="${login.username}" password="${login.password}";`;
    writeFileSync(config, propertiesText({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas }), { mode: 0o600 });
    const argv = ['-Xmx128m', `-Dlog4j2.configurationFile=${layout.log4j}`, '-cp', `${layout.classes}:${join(layout.libs, '*')}`, 'kafka.admin.ConfigCommand', '--bootstrap-server', bootstrap, '--command-config', config, ...args];
    return await runCaptured(java, argv, undefined, RUN_TIMEOUT_MS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
