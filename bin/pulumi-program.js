'use strict';
// Entry point of `pulumi up` in this checkout (Pulumi.yaml `main`): compiled code, loaded by package
// name as in any Pulumi project that installs meshform. The exported promise resolves to the stack outputs.
module.exports = require('meshform/pulumi').meshformProgram();
