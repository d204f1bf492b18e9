import { kcatOutput } from './kcat';

/** A message as every client in the conformance tests reports it. */
export interface SeenMessage {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  headers?: Array<[string, string | null]>;
  timestamp?: number;
}

interface KcatEnvelope {
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

/** `kcat -C -e -o beginning -J`: everything in the topic (or one partition), then exit. */
export async function kcatConsume(bootstrap: string, topic: string, extra: string[] = []): Promise<SeenMessage[]> {
  const out = await kcatOutput(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-J', '-q', '-m', '5', ...extra]);
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as KcatEnvelope)
    .map((m) => ({ partition: m.partition, offset: m.offset, key: m.key, value: m.payload }))
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** `kcat -P -K:` one `key:value` line per message into one partition. */
export async function kcatProduce(bootstrap: string, topic: string, partition: number, messages: Array<{ key: string; value: string }>, extra: string[] = []): Promise<void> {
  const input = messages.map((m) => `${m.key}:${m.value}\n`).join('');
  await kcatOutput(['-b', bootstrap, '-P', '-t', topic, '-p', String(partition), '-K:', '-m', '5', ...extra], input);
}
