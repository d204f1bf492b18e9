#!/usr/bin/env node
'use strict';
/**
 * `pulumi-language-nodejs` for the peer's Pulumi CLI: the language plugin the engine starts for a
 * `runtime: nodejs` project. Pulumi's own host (Go, module
 * github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not served by the Go
 * module proxy here at any version (it has only pseudo-versions, none served), so this plugin
 * stands in for it. It does what that host does for a run, no more: serve the LanguageRuntime
 * gRPC service on a free port (printed on stdout), and on Run start Pulumi's own Node.js runner
 * (`@pulumi/pulumi/cmd/run` of the project) with the same arguments and environment the real host
 * passes (monitor, engine, project, stack, root directory, pwd, dry run, parallel, entry point;
 * PULUMI_CONFIG with `<ns>:config:<key>` keys, PULUMI_CONFIG_SECRET_KEYS,
 * PULUMI_NODEJS_TYPESCRIPT unless `typescript: false`). Differences from the real host: no
 * resource-monitor proxy and no synchronous-invoke pipes (the runner then talks to the engine's
 * monitor directly, which it supports), no plugin discovery from package.json (the engine loads
 * providers when resources name them), no `pulumi install`/`convert`/`package` support.
 * Its gRPC and protobuf code comes from the project's own @pulumi/pulumi.
 */
const { spawn } = require('node:child_process');

const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const engineAddress = args[0] || '';

function fromProject(request) {
  return require(require.resolve(request, { paths: [process.cwd(), __dirname] }));
}

const grpc = fromProject('@grpc/grpc-js');
const services = fromProject('@pulumi/pulumi/proto/language_grpc_pb');
const lang = fromProject('@pulumi/pulumi/proto/language_pb');
const plugin = fromProject('@pulumi/pulumi/proto/plugin_pb');
const { Empty } = fromProject('google-protobuf/google/protobuf/empty_pb');

const VERSION = process.env.MESHFORM_PULUMI_VERSION || '3.0.0';
const running = new Set();

const unimplemented = (name) => (_call, callback) =>
  callback({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not supported by meshform's stand-in Node.js language host` });

/** `<ns>:<key>` -> `<ns>:config:<key>`, as the real host hands config to the runner. */
function configForRunner(map) {
  const out = {};
  for (const [key, value] of map.entries()) {
    const colon = key.indexOf(':');
    out[colon < 0 ? key : `${key.slice(0, colon)}:config:${key.slice(colon + 1)}`] = value;
  }
  return out;
}

function run(call, callback) {
  const req = call.request;
  const info = req.getInfo();
  const programDirectory = (info && info.getProgramDirectory()) || req.getPwd() || process.cwd();
  const options = info && info.getOptions() ? info.getOptions().toJavaScript() : {};
  let runner;
  try {
    runner = require.resolve('@pulumi/pulumi/cmd/run', { paths: [programDirectory] });
  } catch (e) {
    callback(null, new lang.RunResponse().setError(`It looks like the Pulumi SDK has not been installed. Have you run npm install? (${e.message})`));
    return;
  }
  const argv = [runner];
  const add = (flag, value) => {
    if (value !== undefined && value !== null && value !== '') argv.push(`--${flag}`, String(value));
  };
  add('monitor', req.getMonitorAddress());
  add('engine', engineAddress);
  add('organization', req.getOrganization());
  add('project', req.getProject());
  add('root-directory', info && info.getRootDirectory());
  add('stack', req.getStack());
  add('pwd', programDirectory);
  if (req.getDryrun()) argv.push('--dry-run');
  add('parallel', req.getParallel());
  argv.push((info && info.getEntryPoint()) || req.getProgram() || '.', ...req.getArgsList());

  const env = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(configForRunner(req.getConfigMap())),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
  };
  if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = 'true';
  if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  const nodeArgs = typeof options.nodeargs === 'string' ? options.nodeargs.split(/\s+/).filter(Boolean) : [];

  const child = spawn(process.execPath, [...nodeArgs, ...argv], { cwd: programDirectory, env, stdio: ['ignore', 'inherit', 'inherit'] });
  running.add(child);
  child.on('error', (e) => {
    running.delete(child);
    callback(null, new lang.RunResponse().setError(`Problem executing program (could not run language executor): ${e.message}`));
  });
  child.on('exit', (code, signal) => {
    running.delete(child);
    const resp = new lang.RunResponse();
    // 32: the runner already showed the user an actionable message.
    if (code === 32) resp.setBail(true);
    else if (code !== 0) resp.setError(signal ? `Program exited with signal ${signal}` : `Program exited with non-zero exit code: ${code}`);
    callback(null, resp);
  });
}

const server = new grpc.Server({ 'grpc.max_receive_message_length': 400 * 1024 * 1024 });
server.addService(services.LanguageRuntimeService, {
  handshake: (_call, callback) => callback(null, new lang.LanguageHandshakeResponse()),
  getRequiredPlugins: (_call, callback) => callback(null, new lang.GetRequiredPluginsResponse()),
  getRequiredPackages: (_call, callback) => callback(null, new lang.GetRequiredPackagesResponse()),
  run,
  getPluginInfo: (_call, callback) => callback(null, new plugin.PluginInfo().setVersion(VERSION)),
  installDependencies: unimplemented('InstallDependencies'),
  runtimeOptionsPrompts: (_call, callback) => callback(null, new lang.RuntimeOptionsResponse()),
  template: unimplemented('Template'),
  about: (_call, callback) => callback(null, new lang.AboutResponse().setExecutable(process.execPath).setVersion(process.version)),
  getProgramDependencies: (_call, callback) => callback(null, new lang.GetProgramDependenciesResponse()),
  runPlugin: unimplemented('RunPlugin'),
  generateProgram: unimplemented('GenerateProgram'),
  generateProject: unimplemented('GenerateProject'),
  generatePackage: unimplemented('GeneratePackage'),
  pack: unimplemented('Pack'),
  link: unimplemented('Link'),
  cancel: (_call, callback) => {
    for (const child of running) child.kill('SIGINT');
    callback(null, new Empty());
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(`pulumi-language-nodejs: cannot listen: ${err.message}`);
    process.exit(1);
  }
  process.stdout.write(`${port}\n`);
});
