/**
 * DescribeLogDirs (API key 35), versions 1-4 (Kafka 4 dropped v0): every log directory of the broker
 * it is sent to, with the size of each partition replica there. Flexible from v2; a top-level error
 * code from v3 (before, a caller without DESCRIBE on the cluster just gets no directories); the
 * volume's total and usable bytes from v4. apache/kafka DescribeLogDirsRequest.json / Response.json.
 */
import { Reader, Writer, wireProtocol } from './codec';

export const DESCRIBE_LOG_DIRS = { apiKey: 35, name: 'DescribeLogDirs', versions: [1, 2, 3, 4] } as const;

export interface LogDirPartition {
  partition: number;
  size: number;
  /** How far a future replica (being moved between directories) is behind; 0 otherwise. */
  offsetLag: number;
  isFuture: boolean;
}

export interface LogDir {
  errorCode: number;
  path: string;
  topics: Array<{ topic: string; partitions: LogDirPartition[] }>;
  /** -1 when unknown (before v4, or not reported). */
  totalBytes: number;
  usableBytes: number;
}

export interface DescribeLogDirsResult {
  /** v3+: CLUSTER_AUTHORIZATION_FAILED (31) and the like; 0 before. */
  errorCode: number;
  dirs: LogDir[];
}

/** @param topics null: every partition on the broker. */
export function describeLogDirs(version: number, topics: Array<{ topic: string; partitions: number[] }> | null) {
  const flexible = version >= 2;
  return wireProtocol(
    DESCRIBE_LOG_DIRS.apiKey,
    DESCRIBE_LOG_DIRS.name,
    version,
    () =>
      new Writer(flexible)
        .array(topics, (w, t) => w.string(t.topic).array(t.partitions, (w2, p) => w2.int32(p)).tags())
        .tags(),
    (raw): DescribeLogDirsResult => {
      const r = new Reader(raw, flexible);
      r.int32(); // throttle_time_ms
      const errorCode = version >= 3 ? r.int16() : 0;
      const dirs = r.array((d): LogDir => {
        const dirError = d.int16();
        const path = d.string();
        const dirTopics = d.array((t) => {
          const topic = t.string();
          const partitions = t.array((p): LogDirPartition => {
            const entry = { partition: p.int32(), size: p.int64(), offsetLag: p.int64(), isFuture: p.bool() };
            p.tags();
            return entry;
          });
          t.tags();
          return { topic, partitions };
        });
        const totalBytes = version >= 4 ? d.int64() : -1;
        const usableBytes = version >= 4 ? d.int64() : -1;
        d.tags();
        return { errorCode: dirError, path, topics: dirTopics, totalBytes, usableBytes };
      });
      r.tags();
      return { errorCode, dirs };
    },
  );
}
