/**
 * The real Apache Kafka peer: Kafka's jars from Maven Central (pinned), a small launcher compiled
 * against them (kafka-launcher/: the whole cluster in one JVM, SASL/PLAIN users from a file),
 * and the foreground command
 *   npm run -s peers -- kafka --port <p> [--host 127.0.0.1] [--brokers 1|3] [--sasl-users users.json]
 *                             [--super-users User:a,User:b] [--authorizer] [--heap-mb N]
 * with the flags of `kafka-test-broker`. It prints `listening on HOST:PORT` when clients can connect,
 * serves until SIGTERM/SIGINT, then stops Kafka and deletes its data.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOptions } from '@meshform/kafka-test-broker/src/cli';
import { hashedVersion } from './cache';
import { kafkaLayout, startKafkaCluster, type KafkaCluster, type KafkaClusterOptions } from './kafka-cluster';
import { PeerError, type InstallContext, type Peer } from './peer';
import { run, whenAncestorExits } from './process';

export const KAFKA_VERSION = '4.1.1';
const LOG4J_VERSION = '2.24.3';
const LAUNCHER_SOURCES = join(__dirname, 'kafka-launcher');

/** The launcher's files, by name and content: part of the version, so a change reinstalls. */
function launcherFiles(): Array<string | Buffer> {
  const files = readdirSync(LAUNCHER_SOURCES).filter((f) => f.endsWith('.java') || f.endsWith('.properties')).sort();
  return files.flatMap((file) => [file, readFileSync(join(LAUNCHER_SOURCES, file))]);
}

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.meshform.peers</groupId>
  <artifactId>kafka</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <!-- Kafka 4 logs through slf4j 1.7: this binding routes it to log4j 2 (log4j2.properties, WARN). -->
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
`;

async function install(ctx: InstallContext): Promise<void> {
  const layout = kafkaLayout(ctx.dir);
  const pom = join(ctx.dir, 'pom.xml');
  writeFileSync(pom, POM);
  ctx.log(`fetching Apache Kafka ${KAFKA_VERSION} and its runtime jars from Maven Central (maven repository ${join(ctx.sharedCache, 'm2')})`);
  await run('mvn', [
    '-q',
    '-B',
    '-f',
    pom,
    `-Dmaven.repo.local=${join(ctx.sharedCache, 'm2')}`,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${layout.libs}`,
  ]);
  ctx.log('compiling the launcher');
  mkdirSync(layout.classes, { recursive: true });
  const sources = readdirSync(LAUNCHER_SOURCES).filter((f) => f.endsWith('.java')).map((f) => join(LAUNCHER_SOURCES, f));
  await run('javac', ['--release', '17', '-d', layout.classes, '-cp', join(layout.libs, '*'), ...sources]);
  copyFileSync(join(LAUNCHER_SOURCES, 'log4j2.properties'), layout.log4j);
}

/** `kafka-test-broker`'s flags (parsed by the same code), plus --heap-mb. */
export function parseKafkaArgs(argv: string[]): KafkaClusterOptions {
  const rest = [...argv];
  let heapMb: number | undefined;
  const heap = rest.indexOf('--heap-mb');
  if (heap >= 0) {
    const value = rest[heap + 1] ?? '';
    if (!/^\d+$/.test(value) || Number(value) < 128 || Number(value) > 8192) throw new PeerError(`--heap-mb must be an integer from 128 to 8192, got '${value}'`);
    heapMb = Number(value);
    rest.splice(heap, 2);
  }
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(rest);
  } catch (e) {
    throw new PeerError(`kafka: ${(e as Error).message} (${USAGE})`);
  }
  if ((options.brokers ?? 1) > 9) throw new PeerError(`kafka: --brokers must be an integer from 1 to 9 (${USAGE})`);
  return { ...options, heapMb };
}

const USAGE =
  'usage: npm run -s peers -- kafka --port <n> [--host 127.0.0.1] [--brokers N] [--sasl-users users.json] [--super-users User:admin,...] [--authorizer] [--heap-mb N]';

async function kafkaCommand(home: string, argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = parseKafkaArgs(argv);
  let cluster: KafkaCluster;
  try {
    cluster = await startKafkaCluster(home, { ...options, onLog: (line) => process.stderr.write(`kafka: ${line}\n`) });
  } catch (e) {
    if (e instanceof PeerError) throw e;
    throw new PeerError(`kafka: ${(e as Error).message}`);
  }
  process.stdout.write(`listening on ${cluster.bootstrap}\n`);
  const stopped = new Promise<'signal'>((resolve) => {
    process.once('SIGTERM', () => resolve('signal'));
    process.once('SIGINT', () => resolve('signal'));
    whenAncestorExits(() => resolve('signal'));
  });
  const why = await Promise.race([stopped, cluster.exited]);
  if (why !== 'signal') {
    process.stderr.write(`kafka: the JVM stopped by itself (${why}); last log lines:\n${cluster.logTail().slice(-20).join('\n')}\n`);
    await cluster.stop();
    return 1;
  }
  await cluster.stop();
  return 0;
}

export const kafkaPeer: Peer = {
  name: 'kafka',
  version: hashedVersion(KAFKA_VERSION, launcherFiles()),
  description: `Apache Kafka ${KAFKA_VERSION} (KRaft) from Maven Central, one JVM per cluster`,
  tools: {
    java: 'a Java runtime >= 17 (apt-get install openjdk-17-jdk-headless)',
    javac: 'a JDK >= 17 (apt-get install openjdk-17-jdk-headless)',
    mvn: 'Maven (apt-get install maven)',
  },
  install,
  env: () => ({}),
  commands: { kafka: kafkaCommand },
};
