"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.typeOfUrn = typeOfUrn;
exports.recordingProvider = recordingProvider;
exports.serveRecordingProvider = serveRecordingProvider;
/**
 * A recording stand-in for a provider plugin the Go module proxy cannot build (`gcp`: its module
 * replaces the upstream provider with a source tree the module zip lacks; `kubernetes`: generated,
 * gitignored files), written with `@pulumi/pulumi/provider` and attached to the real engine with
 * `PULUMI_DEBUG_PROVIDERS=<package>:<port>`.
 *
 * It accepts what it is given, computes the few outputs the real provider computes and meshform
 * reads (a service account's email, name and member), replaces where the real provider forces a
 * new resource (dataset location, account id, ...), and appends one JSON line per call to the
 * record file: `{op, type, urn, inputs}` (op: check, diff, create, read, update, delete).
 * It checks nothing about GCP or Kubernetes: what it proves is what the engine asked for.
 */
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const node_util_1 = require("node:util");
const peer_1 = require("../peer");
/** Inputs whose change makes the real provider replace the resource (ForceNew), by type. */
const REPLACE_ON = {
    'gcp:bigquery/dataset:Dataset': ['project', 'datasetId', 'location'],
    'gcp:serviceaccount/account:Account': ['project', 'accountId'],
    'gcp:bigquery/datasetIamMember:DatasetIamMember': ['project', 'datasetId', 'role', 'member', 'condition'],
    'gcp:serviceaccount/iAMMember:IAMMember': ['serviceAccountId', 'role', 'member', 'condition'],
};
/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` -> type. */
function typeOfUrn(urn) {
    const qualified = urn.split('::')[2] ?? '';
    return qualified.split('$').pop() ?? qualified;
}
/** Plain JSON for the record: values not known yet (preview) become "<unknown>". */
function plain(value) {
    if (value === null || value === undefined)
        return value ?? null;
    if (Array.isArray(value))
        return value.map(plain);
    if (typeof value === 'object') {
        const v = value;
        if ('__pulumiOutput' in v || typeof v.apply === 'function')
            return '<unknown>';
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    }
    if (value === '04da6b54-80e4-46f7-96ec-b56ff0331ba9')
        return '<unknown>';
    return value;
}
function computed(type, inputs) {
    if (type === 'gcp:serviceaccount/account:Account') {
        const email = `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`;
        const name = `projects/${inputs.project}/serviceAccounts/${email}`;
        return { id: name, outs: { ...inputs, email, name, member: `serviceAccount:${email}`, uniqueId: String(100000000000 + (email.length * 7919)) } };
    }
    if (type === 'gcp:bigquery/dataset:Dataset') {
        return { id: `projects/${inputs.project}/datasets/${inputs.datasetId}`, outs: { ...inputs } };
    }
    if (type.startsWith('kubernetes:')) {
        const metadata = (inputs.metadata ?? {});
        const id = metadata.namespace ? `${metadata.namespace}/${metadata.name}` : String(metadata.name);
        return { id, outs: { ...inputs, metadata: { ...metadata, uid: `uid-${id}` } } };
    }
    const key = ['project', 'datasetId', 'serviceAccountId', 'role', 'member'].map((k) => inputs[k]).filter((v) => v !== undefined);
    return { id: key.join('/') || 'id', outs: { ...inputs } };
}
/** The provider object, recording into `record` (a JSONL file). */
function recordingProvider(pkg, record, version) {
    const log = (op, urn, inputs) => (0, node_fs_1.appendFileSync)(record, `${JSON.stringify({ op, type: typeOfUrn(urn), urn, inputs: plain(inputs) })}\n`);
    return {
        version,
        async check(urn, _olds, news) {
            log('check', urn, news);
            return { inputs: news };
        },
        async diff(_id, urn, olds, news) {
            log('diff', urn, news);
            const type = typeOfUrn(urn);
            const changed = Object.keys(news).filter((k) => JSON.stringify(plain(olds[k])) !== JSON.stringify(plain(news[k])));
            const replaces = changed.filter((k) => (REPLACE_ON[type] ?? (pkg === 'kubernetes' ? ['apiVersion', 'kind'] : [])).includes(k));
            return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
        },
        async create(urn, inputs) {
            log('create', urn, inputs);
            return computed(typeOfUrn(urn), inputs);
        },
        async read(id, urn, props) {
            log('read', urn, props ?? {});
            return { id, props };
        },
        async update(_id, urn, _olds, news) {
            log('update', urn, news);
            return { outs: computed(typeOfUrn(urn), news).outs };
        },
        async delete(_id, urn, props) {
            log('delete', urn, props);
        },
    };
}
const USAGE = (pkg) => `usage: npm run -s peers -- ${pkg}-double --record <file.jsonl> [--port <p>] [--version <v>]
Serves a recording stand-in for Pulumi's ${pkg} provider until stopped (SIGINT/SIGTERM). Prints
"listening on HOST:PORT"; run the engine with PULUMI_DEBUG_PROVIDERS=${pkg}:<port>. Each call is one JSON
line {op, type, urn, inputs} in the record file (truncated at start). --port 0 (default): a free port.`;
/** Foreground command: `<pkg>-double --port <p> --record <file>`. */
async function serveRecordingProvider(pkg, argv) {
    let values;
    try {
        ({ values } = (0, node_util_1.parseArgs)({ args: argv, options: { port: { type: 'string' }, record: { type: 'string' }, version: { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
    }
    catch (e) {
        throw new peer_1.PeerError(`${e.message}\n${USAGE(pkg)}`);
    }
    if (values.help) {
        process.stdout.write(`${USAGE(pkg)}\n`);
        return 0;
    }
    if (!values.record)
        throw new peer_1.PeerError(`--record <file.jsonl> is required\n${USAGE(pkg)}`);
    const port = Number(values.port ?? '0');
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new peer_1.PeerError(`--port must be 0..65535, got ${values.port}`);
    (0, node_fs_1.writeFileSync)(values.record, '');
    // `main` serves on a free port and prints it with console.log: take that line, print ours.
    const { main } = await Promise.resolve().then(() => __importStar(require('@pulumi/pulumi/provider')));
    const printed = console.log;
    const inner = await new Promise((resolve, reject) => {
        console.log = (line) => resolve(Number(String(line).trim()));
        main(recordingProvider(pkg, values.record, values.version ?? defaultVersion(pkg)), []).catch(reject);
    });
    console.log = printed;
    const front = port === 0 ? undefined : await forward(port, inner);
    process.stdout.write(`listening on 127.0.0.1:${front ? port : inner}\n`);
    await new Promise((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
    });
    front?.close();
    return 0;
}
/** A fixed port asked for: forward it to the port `main` chose. */
function forward(port, to) {
    const server = (0, node_net_1.createServer)((socket) => {
        const upstream = (0, node_net_1.connect)(to, '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        const close = () => {
            socket.destroy();
            upstream.destroy();
        };
        socket.on('error', close);
        upstream.on('error', close);
    });
    return new Promise((resolve, reject) => {
        server.once('error', (e) => reject(new peer_1.PeerError(`cannot listen on 127.0.0.1:${port}: ${e.message}`)));
        server.listen(port, '127.0.0.1', () => resolve(server));
    });
}
function defaultVersion(pkg) {
    const name = pkg === 'gcp' ? '@pulumi/gcp' : '@pulumi/kubernetes';
    return require(`${name}/package.json`).version;
}
