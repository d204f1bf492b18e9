/**
 * `meshform/pulumi` runs inside a Pulumi project, which brings the Pulumi SDK: meshform lists it as
 * optional peer dependencies so that a product repository (validate, breaking, tests) installs none
 * of it. Imported first by the entry points, so a missing package is named with the command that
 * adds it, not as a stack trace from deep inside the program.
 */
export const PULUMI_SDK = ['@pulumi/pulumi', '@pulumi/gcp', '@pulumi/kubernetes'] as const;

const missing = PULUMI_SDK.filter((name) => {
  try {
    require.resolve(`${name}/package.json`);
    return false;
  } catch {
    return true;
  }
}).sort();

if (missing.length > 0) {
  throw new Error(
    `meshform/pulumi needs ${missing.join(', ')} in this Pulumi project: npm install ${PULUMI_SDK.join(' ')} ` +
      '(optional peer dependencies of meshform: a product repository that only validates and tests needs none of them)',
  );
}
