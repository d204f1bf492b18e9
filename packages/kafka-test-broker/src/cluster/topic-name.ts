import { ErrorCode, KafkaError } from '../protocol/errors';

const MAX_LENGTH = 249;

/** Kafka's Topic.validate: `[a-zA-Z0-9._-]`, 1-249 chars, not `.` or `..`. Throws INVALID_TOPIC_EXCEPTION (17). */
export function validateTopicName(name: string): void {
  const fail = (why: string): never => {
    throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic name "${name}" is illegal, ${why}`);
  };
  if (name.length === 0) fail('it can\'t be empty');
  if (name === '.' || name === '..') fail('it can\'t be "." or ".."');
  if (name.length > MAX_LENGTH) fail(`it can't be longer than ${MAX_LENGTH} characters, topic name: ${name}`);
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) fail('it contains a character other than ASCII alphanumerics, \'.\', \'_\' and \'-\'');
}
