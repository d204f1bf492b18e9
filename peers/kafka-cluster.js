"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.INTERNAL_USER = void 0;
exports.kafkaLayout = kafkaLayout;
exports.freePort = freePort;
exports.nodeProperties = nodeProperties;
exports.startKafkaCluster = startKafkaCluster;
/**
 * Real Apache Kafka (KRaft) from the peer's cached jars: one JVM runs the whole cluster (node 0 is
 * broker + controller, nodes 1.. are brokers), on loopback, its data in a fresh temporary folder
 * that is deleted when it stops. Used by `npm run -s peers -- kafka` and by the tests
 * (test/support/real-kafka.ts), so both start exactly the same cluster.
 *
 * Security, as `kafka-test-broker`: with SASL users the client listener is SASL_PLAINTEXT/PLAIN
 * with those users; with users or `authorizer`, the StandardAuthorizer with
 * allow.everyone.if.no.acl.found=false and the given super users. Brokers and the controller then
 * talk over their own SASL listeners as an internal super user with a random password, so no
 * client principal (not even ANONYMOUS) needs to be a super user.
 */
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const node_readline_1 = require("node:readline");
const kafkajs_1 = require("kafkajs");
const peer_1 = require("./peer");
const process_1 = require("./process");
/** Kafka's own user for broker-to-broker and broker-to-controller traffic; never a client's. */
exports.INTERNAL_USER = 'meshform-internal';
const LOG_TAIL = 60;
const STOP_GRACE_MS = 20_000;
/** Files of an installed peer home. */
function kafkaLayout(home) {
    return { libs: (0, node_path_1.join)(home, 'libs'), classes: (0, node_path_1.join)(home, 'classes'), log4j: (0, node_path_1.join)(home, 'log4j2.properties') };
}
/** A free TCP port on `host` (the OS picks it; it may be taken again before Kafka binds it, which start() retries). */
function freePort(host = '127.0.0.1') {
    return new Promise((resolve, reject) => {
        const server = (0, node_net_1.createServer)();
        server.unref();
        server.once('error', reject);
        server.listen(0, host, () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}
/** Kafka's cluster id: 16 random bytes, base64url without padding, never starting with '-' (as Kafka's Uuid.randomUuid: it would read as an option). */
function clusterId() {
    for (;;) {
        const id = (0, node_crypto_1.randomBytes)(16).toString('base64url');
        if (!id.startsWith('-'))
            return id;
    }
}
/** `java.util.Properties` escaping, so any user name and password survive the file. */
function propertiesText(entries) {
    const escape = (text, key) => text.replace(/[\\=:#!\s]|[^\x20-\x7e]/g, (c) => {
        if (c === '\\')
            return '\\\\';
        if (c === ' ')
            return key ? '\\ ' : ' ';
        if (c === '\n')
            return '\\n';
        if (c === '\r')
            return '\\r';
        if (c === '\t')
            return '\\t';
        if (/[=:#!]/.test(c))
            return `\\${c}`;
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    });
    return Object.entries(entries)
        .map(([k, v]) => `${escape(k, true)}=${escape(v, false).replace(/^ /, '\\ ')}`)
        .join('\n')
        .concat('\n');
}
/** server.properties of one node. */
function nodeProperties(node, cluster) {
    const { host, controllerPort, dataDir } = cluster;
    const secured = cluster.authorizer;
    const controller = node.nodeId === 0;
    const listeners = [`CLIENT://${host}:${node.clientPort}`];
    const advertised = [`CLIENT://${host}:${node.clientPort}`];
    // An internal listener only where the brokers must authenticate; port 0: Kafka picks one and advertises it.
    if (secured) {
        listeners.push(`INTERNAL://${host}:0`);
        advertised.push(`INTERNAL://${host}:0`);
    }
    if (controller)
        listeners.push(`CONTROLLER://${host}:${controllerPort}`);
    const internalProtocol = secured ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
    const props = {
        'process.roles': controller ? 'broker,controller' : 'broker',
        'node.id': String(node.nodeId),
        'controller.quorum.voters': `0@${host}:${controllerPort}`,
        'controller.listener.names': 'CONTROLLER',
        listeners: listeners.join(','),
        'advertised.listeners': advertised.join(','),
        'listener.security.protocol.map': [
            `CLIENT:${cluster.sasl ? 'SASL_PLAINTEXT' : 'PLAINTEXT'}`,
            ...(secured ? [`INTERNAL:${internalProtocol}`] : []),
            `CONTROLLER:${internalProtocol}`,
        ].join(','),
        'inter.broker.listener.name': secured ? 'INTERNAL' : 'CLIENT',
        'log.dirs': (0, node_path_1.join)(dataDir, `node-${node.nodeId}`),
        'auto.create.topics.enable': 'false',
        'num.partitions': '1',
        'default.replication.factor': '1',
        // Internal topics on one broker each, created small and fast.
        'offsets.topic.replication.factor': '1',
        'offsets.topic.num.partitions': '1',
        'transaction.state.log.replication.factor': '1',
        'transaction.state.log.min.isr': '1',
        'transaction.state.log.num.partitions': '1',
        'share.coordinator.state.topic.replication.factor': '1',
        'share.coordinator.state.topic.min.isr': '1',
        'share.coordinator.state.topic.num.partitions': '1',
        'group.initial.rebalance.delay.ms': '0',
        // A small machine: few threads, a small log-cleaner buffer (the default 128 MB does not fit the heap).
        'log.cleaner.dedupe.buffer.size': String(4 * 1024 * 1024),
        'num.io.threads': '2',
        'num.network.threads': '2',
        'background.threads': '2',
        'num.recovery.threads.per.data.dir': '1',
        'num.replica.fetchers': '1',
    };
    if (secured) {
        props['sasl.enabled.mechanisms'] = 'PLAIN';
        props['sasl.mechanism.inter.broker.protocol'] = 'PLAIN';
        props['sasl.mechanism.controller.protocol'] = 'PLAIN';
        for (const listener of ['internal', 'controller']) {
            props[`listener.name.${listener}.plain.sasl.jaas.config`] = jaas(true);
            props[`listener.name.${listener}.plain.sasl.server.callback.handler.class`] = 'MeshformPlainUsers';
        }
        props['authorizer.class.name'] = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';
        props['allow.everyone.if.no.acl.found'] = 'false';
        props['super.users'] = [`User:${exports.INTERNAL_USER}`, ...cluster.superUsers].join(';');
    }
    if (cluster.sasl) {
        props['listener.name.client.plain.sasl.jaas.config'] = jaas(false);
        props['listener.name.client.plain.sasl.server.callback.handler.class'] = 'MeshformPlainUsers';
        props['listener.name.client.sasl.enabled.mechanisms'] = 'PLAIN';
    }
    return props;
    function jaas(withLogin) {
        return `org.apache.kafka.common.security.plain.PlainLoginModule required${withLogin ? ` username="${exports.INTERNAL_USER}" password="${cluster.internalPassword}"` : ''} users_file="${cluster.usersFile}";`;
    }
}
/** Starts the cluster and resolves once clients can connect (every broker listed in Metadata). */
async function startKafkaCluster(home, options = {}) {
    const brokers = options.brokers ?? 1;
    if (!Number.isInteger(brokers) || brokers < 1 || brokers > 9)
        throw new peer_1.PeerError(`brokers must be an integer from 1 to 9, got ${brokers}`);
    const users = options.saslUsers;
    if (users && Object.hasOwn(users, exports.INTERNAL_USER))
        throw new peer_1.PeerError(`the SASL user name ${exports.INTERNAL_USER} is reserved for the brokers`);
    const java = (0, process_1.requireTool)('java', 'Kafka needs a Java runtime >= 17 (apt-get install openjdk-17-jre-headless)');
    // Ports the OS handed out may be taken again before Kafka binds them: try again with others.
    const attempts = options.port ? 1 : 3;
    for (let attempt = 1;; attempt++) {
        try {
            return await startOnce(java, home, brokers, options);
        }
        catch (e) {
            if (!(e instanceof PortTaken) || attempt >= attempts)
                throw e instanceof PortTaken ? new peer_1.PeerError(e.message) : e;
        }
    }
}
class PortTaken extends Error {
}
async function startOnce(java, home, brokers, options) {
    const host = options.host ?? '127.0.0.1';
    const sasl = options.saslUsers !== undefined;
    const authorizer = options.authorizer ?? sasl;
    const internalPassword = (0, node_crypto_1.randomBytes)(18).toString('base64url');
    const controllerPort = await freePort(host);
    const clientPorts = [];
    for (let i = 0; i < brokers; i++)
        clientPorts.push(options.port ? options.port + i : await freePort(host));
    const dataDir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'meshform-kafka-'));
    const usersFile = (0, node_path_1.join)(dataDir, 'users.properties');
    (0, node_fs_1.writeFileSync)(usersFile, propertiesText({ ...(options.saslUsers ?? {}), [exports.INTERNAL_USER]: internalPassword }), { mode: 0o600 });
    const files = [];
    for (let nodeId = 0; nodeId < brokers; nodeId++) {
        const file = (0, node_path_1.join)(dataDir, `node-${nodeId}.properties`);
        const props = nodeProperties({ nodeId, clientPort: clientPorts[nodeId] }, {
            host,
            controllerPort,
            dataDir,
            usersFile,
            internalPassword,
            sasl,
            authorizer,
            superUsers: options.superUsers ?? [],
        });
        (0, node_fs_1.writeFileSync)(file, propertiesText(props), { mode: 0o600 });
        files.push(file);
    }
    const layout = kafkaLayout(home);
    const heapMb = options.heapMb ?? (brokers > 1 ? 384 : 256);
    const child = (0, node_child_process_1.spawn)(java, [
        `-Xmx${heapMb}m`,
        `-Xms${Math.min(64, heapMb)}m`,
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${layout.log4j}`,
        '-cp',
        `${layout.classes}:${(0, node_path_1.join)(layout.libs, '*')}`,
        'MeshformKafka',
        dataDir,
        clusterId(),
        ...files,
    ], 
    // stdin stays open and unused: the JVM exits when it closes, i.e. when this process is gone.
    { stdio: ['pipe', 'pipe', 'pipe'] });
    const tail = [];
    const keep = (line) => {
        if (!line)
            return;
        tail.push(line);
        if (tail.length > LOG_TAIL)
            tail.shift();
        options.onLog?.(line);
    };
    (0, node_readline_1.createInterface)({ input: child.stderr }).on('line', keep);
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
    const removeData = () => (0, node_fs_1.rmSync)(dataDir, { recursive: true, force: true });
    void exited.then(removeData);
    const bootstrap = `${host}:${clientPorts[0]}`;
    const cluster = control(child, exited, removeData, {
        bootstrap,
        brokers: clientPorts.map((p) => `${host}:${p}`),
        logTail: () => [...tail],
    });
    const timeoutMs = options.startTimeoutMs ?? 120_000;
    try {
        await ready(child, exited, keep, timeoutMs);
        await probe(bootstrap, brokers, sasl ? { username: exports.INTERNAL_USER, password: internalPassword } : undefined, Date.now() + timeoutMs);
        return cluster;
    }
    catch (e) {
        await cluster.kill();
        const lines = tail.slice(-25).join('\n');
        const message = `Kafka did not start: ${e.message}${lines ? `\nits last log lines:\n${lines}` : ''}`;
        if (/Address already in use|BindException/.test(lines) && !options.port)
            throw new PortTaken(message);
        throw new peer_1.PeerError(message);
    }
}
function control(child, exited, removeData, base) {
    let stopping;
    const end = (signal, graceMs) => {
        stopping ??= (async () => {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill(signal);
                const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
                await exited;
                clearTimeout(killer);
            }
            child.stdin?.destroy();
            removeData();
        })();
        return stopping;
    };
    return { ...base, pid: child.pid ?? -1, exited, stop: () => end('SIGTERM', STOP_GRACE_MS), kill: () => end('SIGKILL', 0) };
}
/** Waits for the launcher's `ready` line (every node started), the JVM's exit, or the timeout. */
function ready(child, exited, keep, timeoutMs) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
        const lines = (0, node_readline_1.createInterface)({ input: child.stdout });
        lines.on('line', (line) => {
            if (line.trim() === 'ready') {
                clearTimeout(timer);
                resolve();
            }
            else
                keep(line);
        });
        void exited.then((how) => {
            clearTimeout(timer);
            reject(new Error(`the JVM exited (${how})`));
        });
    });
}
/** Asks the cluster through its bootstrap address until Metadata lists every broker. */
async function probe(bootstrap, brokers, sasl, deadline) {
    const kafka = new kafkajs_1.Kafka({
        brokers: [bootstrap],
        clientId: 'meshform-peer-probe',
        logLevel: kafkajs_1.logLevel.NOTHING,
        retry: { retries: 0 },
        connectionTimeout: 3000,
        ...(sasl ? { sasl: { mechanism: 'plain', ...sasl } } : {}),
    });
    let last = 'no answer';
    while (Date.now() < deadline) {
        const admin = kafka.admin();
        try {
            await admin.connect();
            const { brokers: listed } = await admin.describeCluster();
            if (listed.length >= brokers)
                return;
            last = `${listed.length} of ${brokers} brokers registered`;
        }
        catch (e) {
            last = e.message;
        }
        finally {
            await admin.disconnect().catch(() => undefined);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`clients cannot use it yet: ${last}`);
}
