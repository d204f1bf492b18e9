"""Drives a Kafka broker with kafka-python (Debian python3-kafka 2.0.2) from JSON jobs on stdin.

Each stdin line is a job:
  {"bootstrap": "host:port", "sasl": {"username": ..., "password": ...} | null, "steps": [{"op": ..., ...}]}
and gets one stdout line {"results": [...]} with, per step, {"ok": true, "value": ...} or
{"ok": false, "error": "<kafka-python error class>", "errno": <Kafka error code or null>}.
One process serves a whole test file (admin clients are kept per bootstrap and user), so the
interpreter and connection start-up are paid once. Passwords are never printed: error messages are
left out on purpose (kafka-python puts whole requests into them).
"""
import base64
import json
import logging
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import (ACL, ACLFilter, ACLOperation, ACLPermissionType, ACLResourcePatternType, ConfigResource,
                         ConfigResourceType, KafkaAdminClient, NewPartitions, NewTopic, ResourcePattern,
                         ResourcePatternFilter, ResourceType)
from kafka.errors import KafkaError, for_code

# Bounds every network wait so a faulty broker makes a step fail instead of hanging the test run.
TIMEOUT_MS = 5000
GROUP_SESSION_TIMEOUT_MS = 6000


def connection_settings(job):
    settings = {
        'bootstrap_servers': job['bootstrap'],
        'request_timeout_ms': TIMEOUT_MS,
        'api_version_auto_timeout_ms': TIMEOUT_MS,
        'reconnect_backoff_max_ms': 200,
    }
    sasl = job.get('sasl')
    if sasl:
        settings.update(security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN',
                        sasl_plain_username=sasl['username'], sasl_plain_password=sasl['password'])
    return settings


def error_name(code):
    return for_code(code).__name__


def acl_to_json(acl):
    pattern = acl.resource_pattern
    return {
        'principal': acl.principal, 'host': acl.host, 'operation': acl.operation.name,
        'permission': acl.permission_type.name, 'resourceType': pattern.resource_type.name,
        'name': pattern.resource_name, 'pattern': pattern.pattern_type.name,
    }


def acl_from_json(spec):
    pattern = ResourcePattern(ResourceType[spec['resourceType']], spec['name'], ACLResourcePatternType[spec.get('pattern', 'LITERAL')])
    return ACL(spec['principal'], spec.get('host', '*'), ACLOperation[spec['operation']], ACLPermissionType[spec['permission']], pattern)


def filter_from_json(spec):
    pattern = ResourcePatternFilter(ResourceType[spec.get('resourceType', 'ANY')], spec.get('name'),
                                    ACLResourcePatternType[spec.get('pattern', 'ANY')])
    return ACLFilter(spec.get('principal'), spec.get('host'), ACLOperation[spec.get('operation', 'ANY')],
                     ACLPermissionType[spec.get('permission', 'ANY')], pattern)


def per_topic_errors(response):
    pairs = response.topic_errors if hasattr(response, 'topic_errors') else response.topic_error_codes
    return {entry[0]: error_name(entry[1]) for entry in pairs}


class Session:
    """Clients are made on first use, so a failed SASL login is the result of the step that needed it."""

    def __init__(self, job):
        self.job = job
        self._admin = None

    def admin(self):
        if self._admin is None:
            self._admin = KafkaAdminClient(client_id='conformance-admin', **connection_settings(self.job))
        return self._admin

    def close(self):
        if self._admin is not None:
            self._admin.close()

    def create_topics(self, step):
        topics = [NewTopic(t['name'], t.get('partitions', 1), t.get('replicationFactor', 1), topic_configs=t.get('configs', {}))
                  for t in step['topics']]
        return per_topic_errors(self.admin().create_topics(topics, timeout_ms=TIMEOUT_MS, validate_only=step.get('validateOnly', False)))

    def delete_topics(self, step):
        return per_topic_errors(self.admin().delete_topics(step['topics'], timeout_ms=TIMEOUT_MS))

    def create_partitions(self, step):
        request = {name: NewPartitions(count) for name, count in step['topics'].items()}
        return per_topic_errors(self.admin().create_partitions(request, timeout_ms=TIMEOUT_MS, validate_only=step.get('validateOnly', False)))

    def list_topics(self, _step):
        return sorted(self.admin().list_topics())

    def describe_topics(self, step):
        topics = self.admin().describe_topics(step.get('topics'))
        return sorted(({
            'name': t['topic'], 'error': error_name(t['error_code']), 'internal': t['is_internal'],
            'partitions': sorted(({'partition': p['partition'], 'leader': p['leader'], 'replicas': p['replicas'], 'isr': p['isr']}
                                  for p in t['partitions']), key=lambda p: p['partition']),
        } for t in topics), key=lambda t: t['name'])

    def describe_cluster(self, _step):
        cluster = self.admin().describe_cluster()
        return {'controllerId': cluster['controller_id'], 'clusterId': cluster['cluster_id'],
                'brokers': sorted(({'nodeId': b['node_id'], 'host': b['host'], 'port': b['port']} for b in cluster['brokers']),
                                  key=lambda b: b['nodeId'])}

    def describe_configs(self, step):
        resources = [ConfigResource(ConfigResourceType[r['type']], r['name']) for r in step['resources']]
        described = []
        for response in self.admin().describe_configs(resources):
            for error_code, _message, resource_type, name, entries in response.resources:
                described.append({
                    'type': ConfigResourceType(resource_type).name, 'name': name, 'error': error_name(error_code),
                    # entry: (name, value, read_only, config_source, is_sensitive, synonyms) from v1 on
                    'entries': {e[0]: {'value': e[1], 'readOnly': e[2], 'source': e[3], 'sensitive': e[4]} for e in entries},
                })
        return described

    def alter_configs(self, step):
        resources = [ConfigResource(ConfigResourceType[r['type']], r['name'], configs=r['configs']) for r in step['resources']]
        response = self.admin().alter_configs(resources)
        return {name: error_name(code) for code, _message, _type, name in response.resources}

    def create_acls(self, step):
        created = self.admin().create_acls([acl_from_json(a) for a in step['acls']])
        return {'succeeded': [acl_to_json(a) for a in created['succeeded']],
                'failed': [{'acl': acl_to_json(a), 'error': e.__name__, 'errno': e.errno} for a, e in created['failed']]}

    def describe_acls(self, step):
        acls, error = self.admin().describe_acls(filter_from_json(step.get('filter', {})))
        return {'error': error.__name__, 'acls': sorted((acl_to_json(a) for a in acls), key=json.dumps)}

    def delete_acls(self, step):
        results = self.admin().delete_acls([filter_from_json(f) for f in step['filters']])
        return [{'error': error.__name__, 'deleted': sorted((dict(acl_to_json(a), error=e.__name__) for a, e in matches), key=json.dumps)}
                for _filter, matches, error in results]

    def produce(self, step):
        # maxBlockMs: how long to wait for the topic's metadata (a principal that may not describe it never gets it).
        producer = KafkaProducer(client_id='conformance-producer', acks=step.get('acks', 1), max_block_ms=step.get('maxBlockMs', TIMEOUT_MS),
                                 compression_type=step.get('compression'), **connection_settings(self.job))
        try:
            sent = []
            for m in step['messages']:
                # Binary records (Avro, Protobuf) come base64-encoded: valueBase64 / keyBase64.
                value = base64.b64decode(m['valueBase64']) if 'valueBase64' in m else encode(m.get('value'))
                key = base64.b64decode(m['keyBase64']) if 'keyBase64' in m else encode(m.get('key'))
                metadata = producer.send(step['topic'], value=value, key=key,
                                         partition=m.get('partition'), timestamp_ms=m.get('timestamp')).get(timeout=TIMEOUT_MS / 1000)
                sent.append({'partition': metadata.partition, 'offset': metadata.offset})
            return sent
        finally:
            producer.close(timeout=TIMEOUT_MS / 1000)

    def consume(self, step):
        """Manual assignment (no group): assign, seek_to_beginning, poll until `count` records or the deadline."""
        consumer = KafkaConsumer(client_id='conformance-consumer', group_id=None, enable_auto_commit=False,
                                 fetch_max_wait_ms=100, **connection_settings(self.job))
        try:
            partitions = [TopicPartition(step['topic'], p) for p in step['partitions']]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            records = []
            deadline = time.monotonic() + step.get('timeoutMs', TIMEOUT_MS) / 1000
            while len(records) < step['count'] and time.monotonic() < deadline:
                for batch in consumer.poll(timeout_ms=200).values():
                    records.extend({'partition': r.partition, 'offset': r.offset, 'key': decode(r.key), 'value': decode(r.value),
                                    'timestamp': r.timestamp, 'headers': [[k, decode(v)] for k, v in r.headers]} for r in batch)
            return sorted(records, key=lambda r: (r['partition'], r['offset']))
        finally:
            consumer.close(autocommit=False)

    def consume_group(self, step):
        """Subscribe as a member of `groupId`, poll until `count` records or the deadline, commit, leave."""
        settings = connection_settings(self.job)
        # kafka-python wants request_timeout_ms > session_timeout_ms, and brokers refuse sessions under 6 s (error 26).
        settings['request_timeout_ms'] = GROUP_SESSION_TIMEOUT_MS + 1000
        consumer = KafkaConsumer(step['topic'], client_id='conformance-group-member', group_id=step['groupId'],
                                 auto_offset_reset='earliest', enable_auto_commit=False, fetch_max_wait_ms=100,
                                 session_timeout_ms=GROUP_SESSION_TIMEOUT_MS, heartbeat_interval_ms=500, **settings)
        try:
            records = []
            deadline = time.monotonic() + step.get('timeoutMs', TIMEOUT_MS) / 1000
            while len(records) < step['count'] and time.monotonic() < deadline:
                for batch in consumer.poll(timeout_ms=200).values():
                    records.extend({'partition': r.partition, 'offset': r.offset, 'key': decode(r.key), 'value': decode(r.value)}
                                   for r in batch)
            if records:
                consumer.commit()
            return sorted(records, key=lambda r: (r['partition'], r['offset']))
        finally:
            consumer.close(autocommit=False)

    def list_offsets(self, step):
        """ListOffsets through the consumer: earliest, latest and the first offset at or after `timestamp` per partition."""
        consumer = KafkaConsumer(client_id='conformance-offsets', group_id=None, enable_auto_commit=False, **connection_settings(self.job))
        try:
            partitions = [TopicPartition(step['topic'], p) for p in step['partitions']]
            earliest = consumer.beginning_offsets(partitions)
            latest = consumer.end_offsets(partitions)
            at = consumer.offsets_for_times({tp: step['timestamp'] for tp in partitions})
            return [{'partition': tp.partition, 'earliest': earliest[tp], 'latest': latest[tp],
                     'atTimestamp': None if at[tp] is None else at[tp].offset} for tp in partitions]
        finally:
            consumer.close(autocommit=False)

    def wait_for_topics(self, step):
        """Until Metadata lists every named topic (real brokers learn of a new topic a moment after CreateTopics answers)."""
        deadline = time.monotonic() + step.get('timeoutMs', TIMEOUT_MS) / 1000
        while time.monotonic() < deadline:
            listed = set(self.admin().list_topics())
            if all(t in listed for t in step['topics']) and not any(t in listed for t in step.get('absent', [])):
                return True
            time.sleep(0.05)
        return False

    def group_offsets(self, step):
        offsets = self.admin().list_consumer_group_offsets(step['groupId'])
        return sorted(({'topic': tp.topic, 'partition': tp.partition, 'offset': meta.offset} for tp, meta in offsets.items()),
                      key=lambda o: (o['topic'], o['partition']))


def encode(text):
    return None if text is None else text.encode('utf-8')


def decode(raw):
    return None if raw is None else raw.decode('utf-8')


def run_step(session, step):
    handler = getattr(session, step['op'], None)
    if handler is None or step['op'].startswith('_'):
        return {'ok': False, 'error': 'UnknownStep', 'errno': None}
    try:
        return {'ok': True, 'value': handler(step)}
    except Exception as e:  # every failure becomes a result the test can assert on
        return {'ok': False, 'error': type(e).__name__, 'errno': getattr(e, 'errno', None) if isinstance(e, KafkaError) else None}


def main():
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    sessions = {}
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            job = json.loads(line)
            key = json.dumps([job['bootstrap'], job.get('sasl')], sort_keys=True)
            session = sessions.setdefault(key, Session(job))
            results = [run_step(session, step) for step in job['steps']]
            sys.stdout.write(json.dumps({'results': results}) + '\n')
            sys.stdout.flush()
    finally:
        for session in sessions.values():
            try:
                session.close()
            except Exception:
                pass


if __name__ == '__main__':
    main()
