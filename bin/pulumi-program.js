'use strict';
// Entry point of `pulumi up` (Pulumi.yaml `main`): no build step, tsx compiles the TypeScript
// sources as they load. The exported promise resolves to the stack outputs.
require('tsx/cjs');
const { meshformProgram } = require('../src/adapters/pulumi/program.ts');

module.exports = meshformProgram();
