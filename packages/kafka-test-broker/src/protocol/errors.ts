/** Kafka's error codes (org.apache.kafka.common.protocol.Errors) that the test broker answers with. */
export const ErrorCode = {
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  INVALID_TOPIC_EXCEPTION: 17,
  INVALID_REQUIRED_ACKS: 21,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  TOPIC_AUTHORIZATION_FAILED: 29,
  GROUP_AUTHORIZATION_FAILED: 30,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  NOT_CONTROLLER: 41,
  INVALID_REQUEST: 42,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  SECURITY_DISABLED: 54,
  SASL_AUTHENTICATION_FAILED: 58,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
  INVALID_RECORD: 87,
  UNKNOWN_TOPIC_ID: 100,
  MISMATCHED_ENDPOINT_TYPE: 114,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A refusal carried to the client as an error code and message, never as a dropped connection. */
export class KafkaError extends Error {
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
  ) {
    super(message);
  }
}

export interface ErrorResult {
  errorCode: number;
  errorMessage: string | null;
}

export const NO_ERROR: ErrorResult = { errorCode: ErrorCode.NONE, errorMessage: null };

/**
 * Runs `answer`; a KafkaError becomes the refusal answer `refused` builds from it. Any other error
 * is a broker bug and propagates (the connection is closed and the error reported).
 */
export function answerOrRefusal<T>(answer: () => T, refused: (error: KafkaError) => T): T {
  try {
    return answer();
  } catch (e) {
    if (e instanceof KafkaError) return refused(e);
    throw e;
  }
}

/** The same for answers that wait (group joins and syncs): a rejection with a KafkaError is refused too. */
export async function awaitAnswerOrRefusal<T>(answer: () => Promise<T>, refused: (error: KafkaError) => T): Promise<T> {
  try {
    return await answer();
  } catch (e) {
    if (e instanceof KafkaError) return refused(e);
    throw e;
  }
}

/** Runs a per-entry check and turns a KafkaError into the entry's error fields. */
export function errorResultOf(check: () => void): ErrorResult {
  return answerOrRefusal(
    () => {
      check();
      return NO_ERROR;
    },
    (e) => ({ errorCode: e.code, errorMessage: e.message }),
  );
}
