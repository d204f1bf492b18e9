import { Admin, Kafka, logLevel } from 'kafkajs';
import { TestBroker, TestBrokerOptions, startTestBroker } from '../src';

export type Credentials = { username: string; password: string };

/** A quiet kafkajs client on the test broker; retries off unless asked, so errors surface at once. */
export function kafkaFor(broker: TestBroker, sasl?: Credentials, retries = 0): Kafka {
  return new Kafka({
    clientId: 'test-broker-tests',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries, initialRetryTime: 50 },
    sasl: sasl ? { mechanism: 'plain', ...sasl } : undefined,
  });
}

/** A connected kafkajs admin on the test broker, quiet and without retries so errors surface at once. */
export async function adminFor(broker: TestBroker, sasl?: Credentials): Promise<Admin> {
  const admin = kafkaFor(broker, sasl).admin();
  await admin.connect();
  return admin;
}

export interface SuiteBroker {
  readonly broker: TestBroker;
  readonly admin: Admin;
}

/**
 * One broker and a connected admin for the whole suite (describe block) that calls it: started
 * before its tests, stopped after them. Read `broker` and `admin` inside tests and hooks only.
 */
export function suiteBroker(options: TestBrokerOptions = {}): SuiteBroker {
  const suite = {} as { broker: TestBroker; admin: Admin };
  beforeAll(async () => {
    suite.broker = await startTestBroker(options);
    suite.admin = await adminFor(suite.broker);
  });
  afterAll(async () => {
    await suite.admin?.disconnect();
    await suite.broker?.stop();
  });
  return suite;
}

interface KafkajsFailure {
  type?: string;
  errors?: KafkajsFailure[];
  cause?: KafkajsFailure;
  message: string;
}

function typeOf(err: KafkajsFailure): string {
  if (err.errors?.length) return typeOf(err.errors[0]);
  if (err.type) return err.type;
  return err.cause ? typeOf(err.cause) : err.message;
}

/** The Kafka error type kafkajs reports for the first failed entry of a refused admin call (through retry wrappers). */
export async function kafkaErrorOf(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (e) {
    return typeOf(e as KafkajsFailure);
  }
  throw new Error('expected the call to be refused');
}
