import { TestBroker, TestBrokerOptions, startTestBroker } from '../src';

/** Runs a test body against a fresh broker and always stops it, so a failing assertion cannot leave a listener open. */
export async function withBroker(options: TestBrokerOptions, body: (broker: TestBroker) => Promise<void>): Promise<void> {
  const broker = await startTestBroker(options);
  try {
    await body(broker);
  } finally {
    await broker.stop();
  }
}
