/**
 * `meshform export alerts` run by Prometheus itself: `promtool check rules` loads the file, and
 * `promtool test rules` evaluates the rules over series written by hand (offsets that stop moving,
 * groups behind and within their limits, groups of a nested product and of a look-alike id), with
 * the alerts expected at each time written by hand from the specs: freshness PT30M, the owner's
 * maxLag 500, billing's own maxLag 20, `for: 5m` on lag.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeWithClients } from '@meshform/peers/testing/clients/kafkajs';
import { tempTree, type TempTree } from '../schemas/support';
import { productSpec as spec } from './support';

const BIN = path.resolve(__dirname, '../../bin/meshform.js');
const PROMTOOL = process.env.MESHFORM_PROMTOOL ?? 'promtool';
const TOPIC = 'acme.orders._public.placed';

function promtoolMissing(): string | null {
  const probe = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return `promtool is not installed (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}; apt-get install prometheus)`;
  return probe.status === 0 ? null : `promtool --version exited ${probe.status}`;
}

const SPECS = {
  'specs/orders.yaml': spec('acme.orders', [
    '  placed:',
    '    address: _public.placed',
    '    x-meshform: {freshness: PT30M, maxLag: 500}', // line 8
    '    messages: {m: {payload: {type: object}}}',
  ], ["  s1: {action: send, channel: {$ref: '#/channels/placed'}}"]),
  'specs/billing.yaml': spec('acme.billing', [
    '  placed:',
    `    address: ${TOPIC}`,
    '    x-meshform: {maxLag: 20}', // line 8
    '    messages: {m: {payload: {type: object}}}',
  ], ["  r: {action: receive, channel: {$ref: '#/channels/placed'}}"]),
  'specs/audit.yaml': spec('acme.billing.audit', ['  placed:', `    address: ${TOPIC}`, '    messages: {m: {payload: {type: object}}}'], ["  r: {action: receive, channel: {$ref: '#/channels/placed'}}"]),
};

const lagSeries = (group: string, values: string) => ({ series: `kafka_consumergroup_lag{topic="${TOPIC}", partition="0", consumergroup="${group}"}`, values });

const rule = (product: string) => ({ severity: 'warning', stack: 'dev', product, topic: TOPIC });
const STALE_ANNOTATIONS = {
  summary: `No new record on ${TOPIC} for PT30M`,
  description: 'acme.orders promises a record at least every PT30M (x-meshform.freshness at specs/orders.yaml:8); meshform verify --stack dev --product acme.orders shows the newest record.',
};
const lagAnnotations = (consumer: string, maxLag: number, from: string) => ({
  summary: `A group of ${consumer} is more than ${maxLag} records behind on ${TOPIC}`,
  description: `maxLag ${maxLag} from ${from}; meshform kafka consumption --stack dev shows every group's lag.`,
});
const BILLING_LAG = lagAnnotations('acme.billing', 20, "acme.billing's spec (specs/billing.yaml:8)");
const AUDIT_LAG = lagAnnotations('acme.billing.audit', 500, "acme.orders's channel (specs/orders.yaml:8)");

/** promtool's unit test: series per minute, the alerts firing at each time. */
const UNIT_TEST = {
  rule_files: ['alerts.yaml'],
  evaluation_interval: '1m',
  tests: [{
    interval: '1m',
    input_series: [
      // Partition 0 takes a record a minute for 10 minutes, then none; partition 1 never moves.
      { series: `kafka_topic_partition_current_offset{topic="${TOPIC}", partition="0"}`, values: '0+1x10 10x70' },
      { series: `kafka_topic_partition_current_offset{topic="${TOPIC}", partition="1"}`, values: '7x80' },
      // Another topic's offsets never move: not this topic's alert.
      { series: 'kafka_topic_partition_current_offset{topic="acme.orders._public.other", partition="0"}', values: '3x80' },
      lagSeries('acme.billing.reader', '30x80'), // over billing's 20
      lagSeries('acme.billing-etl', '15x80'), // within 20
      lagSeries('acme.billing.audit.reader', '300x80'), // audit's group: over 20, within the owner's 500
      lagSeries('acme.billing.audit.late', '0x3 600x76'), // over 500 from minute 4
      lagSeries('acme.billingx.reader', '9000x80'), // no product's group
    ],
    alert_rule_test: [
      // Records in the last 30 minutes: not stale.
      { eval_time: '20m', alertname: 'MeshformTopicStale', exp_alerts: [] },
      { eval_time: '39m', alertname: 'MeshformTopicStale', exp_alerts: [] },
      // From minute 10 nothing moves; 30 minutes later the window holds no increase.
      { eval_time: '41m', alertname: 'MeshformTopicStale', exp_alerts: [{ exp_labels: rule('acme.orders'), exp_annotations: STALE_ANNOTATIONS }] },
      // Over the limit but not yet for 5 minutes: pending, not firing.
      { eval_time: '3m', alertname: 'MeshformConsumerLag', exp_alerts: [] },
      { eval_time: '6m', alertname: 'MeshformConsumerLag', exp_alerts: [{ exp_labels: { ...rule('acme.billing'), consumergroup: 'acme.billing.reader' }, exp_annotations: BILLING_LAG }] },
      {
        eval_time: '10m',
        alertname: 'MeshformConsumerLag',
        exp_alerts: [
          { exp_labels: { ...rule('acme.billing'), consumergroup: 'acme.billing.reader' }, exp_annotations: BILLING_LAG },
          { exp_labels: { ...rule('acme.billing.audit'), consumergroup: 'acme.billing.audit.late' }, exp_annotations: AUDIT_LAG },
        ],
      },
    ],
  }],
};

describeWithClients('meshform export alerts, run by Prometheus (promtool)', [promtoolMissing()], () => {
  let tree: TempTree;
  beforeAll(() => {
    tree = tempTree({ ...SPECS, 'stacks/Pulumi.dev.yaml': fs.readFileSync(path.resolve(__dirname, '../../stacks/Pulumi.dev.yaml'), 'utf8') });
    const run = spawnSync(process.execPath, [BIN, 'export', 'alerts', 'specs', '--stack', 'dev', '--out', 'alerts.yaml'], { cwd: tree.dir, encoding: 'utf8' });
    expect({ code: run.status, stderr: run.stderr }).toEqual({ code: 0, stderr: 'meshform export alerts: wrote 3 rule(s) to alerts.yaml\n' });
    fs.writeFileSync(path.join(tree.dir, 'alerts.test.yaml'), JSON.stringify(UNIT_TEST, null, 2)); // JSON is YAML
  });
  afterAll(() => tree?.cleanup());

  it('promtool check rules accepts the file: two groups, three rules', () => {
    const run = spawnSync(PROMTOOL, ['check', 'rules', 'alerts.yaml'], { cwd: tree.dir, encoding: 'utf8' });
    expect({ code: run.status, out: run.stdout + run.stderr }).toEqual({ code: 0, out: expect.stringContaining('SUCCESS: 3 rules found') });
  });

  it('the rules fire when Prometheus evaluates them over the series, and only then', () => {
    const run = spawnSync(PROMTOOL, ['test', 'rules', 'alerts.test.yaml'], { cwd: tree.dir, encoding: 'utf8' });
    expect({ code: run.status, out: run.stdout + run.stderr }).toEqual({ code: 0, out: expect.stringContaining('SUCCESS') });
  });
});
