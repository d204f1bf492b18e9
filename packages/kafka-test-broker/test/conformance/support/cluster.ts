/**
 * The cluster a conformance suite runs against: an in-process test broker, one kafka-python
 * process and, for suites that set up or cross-check with kafkajs, a kafkajs admin.
 */
import type { Admin } from 'kafkajs';
import { startTestBroker, type TestBroker, type TestBrokerOptions } from '../../../src';
import { kafkajsAdmin } from '@meshform/peers/testing/clients/kafkajs';
import { PythonKafka, type SaslLogin } from '@meshform/peers/testing/clients/python-kafka';

/** The SASL/PLAIN users of the conformance clusters: admin is a super user, alice is not. */
export const ADMIN: SaslLogin = { username: 'admin', password: 'admin-pw' };
export const ALICE: SaslLogin = { username: 'alice', password: 'alice-pw' };

/** `options` plus the ADMIN and ALICE users, with admin a super user. */
export function withSaslUsers(options: TestBrokerOptions = {}): TestBrokerOptions {
  return { ...options, saslUsers: { admin: ADMIN.password, alice: ALICE.password }, superUsers: ['User:admin'] };
}

export interface Cluster {
  broker: TestBroker;
  python: PythonKafka;
}

export interface ClusterWithAdmin extends Cluster {
  admin: Admin;
}

export async function startCluster(options: TestBrokerOptions = {}): Promise<Cluster> {
  const broker = await startTestBroker(options);
  return { broker, python: new PythonKafka() };
}

/** The cluster and a connected kafkajs admin, logged in as `login` (anonymous without one). */
export async function startClusterWithAdmin(options: TestBrokerOptions = {}, login?: SaslLogin): Promise<ClusterWithAdmin> {
  const cluster = await startCluster(options);
  try {
    return { ...cluster, admin: await kafkajsAdmin(cluster.broker.bootstrap, login) };
  } catch (e) {
    await stopCluster(cluster);
    throw e;
  }
}

/** Closes whatever of the cluster was started, clients before the broker. */
export async function stopCluster(cluster: Partial<ClusterWithAdmin>): Promise<void> {
  await cluster.admin?.disconnect();
  await cluster.python?.close();
  await cluster.broker?.stop();
}
