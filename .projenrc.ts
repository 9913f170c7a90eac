import { awscdk, javascript, JsonFile } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-encryption-guard',
  description:
    'Secure-by-default encryption constructs for AWS CDK v2, and a compliance gate that makes `cdk synth` fail on unencrypted S3, EBS and RDS resources.',
  author: 'cdk-encryption-guard',
  authorAddress: 'maintainers@cdk-encryption-guard.dev',
  repositoryUrl: 'https://github.com/cdk-encryption-guard/cdk-encryption-guard.git',
  keywords: ['cdk', 'aws-cdk', 'encryption', 'kms', 's3', 'ebs', 'rds', 'compliance', 'validation'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // aws-cdk-lib 2.276 is the first line with the validation layer we build on
  // (Validations.acknowledge, IPolicyValidationPlugin with appConstruct).
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // Test-only oracles and tools. cdk-nag types never appear in our public API, so it is a
  // devDependency: users who only want our gate do not have to install it.
  devDeps: [
    'aws-cdk@2.1148.1',
    'cdk-nag@3.0.2',
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    'fast-check@4.11.0',
    // AGPL-3.0: the authorization contracts (test/contracts) run it; it is never shipped or bundled.
    '@cloud-copilot/iam-simulate@0.1.173',
  ],

  publishToPypi: {
    distName: 'cdk-encryption-guard',
    module: 'cdk_encryption_guard',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkencryptionguard',
    mavenGroupId: 'io.github.cdkencryptionguard',
    mavenArtifactId: 'cdk-encryption-guard',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkEncryptionGuard',
    packageId: 'CdkEncryptionGuard',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-encryption-guard/cdk-encryption-guard-go',
  },

  // No GitHub automation in this repository: CI is `.ci/run`.
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,

  gitignore: ['cdk.out/', '/examples/cdk.out*', '/bench/results/', '/dist/'],

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'scripts'],
  },
  jestOptions: {
    jestConfig: {
      // Synthesis with oracles (cdk-nag, cfn-guard, the built-in validator) is slow on two cores.
      testTimeout: 120_000,
      // One worker is faster than two here: each worker pays CDK's start-up cost again.
      maxWorkers: 1,
    },
  },
});

project.npmignore?.addPatterns('/examples/', '/bench/', '/scripts/', '/.ci/');

// jsii 6 prints an end-of-life banner on Node 20, the Node of our CI: keep logs readable.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// Type-checked and linted like tests: ESLint's project service looks for the nearest tsconfig.
for (const dir of ['examples', 'bench', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts'],
    },
  });
}

// Rendering the rule table from the catalogue; a unit test fails when README.md is stale.
project.addTask('docs:rules', {
  description: 'Regenerate the rule table in README.md from the rule catalogue',
  exec: 'ts-node --transpile-only scripts/render-rule-table.ts',
});

project.addTask('demo', {
  description: 'Synthesize the example apps through the encryption gate with the cdk CLI',
  exec: 'ts-node --transpile-only examples/demo.ts',
});

project.addTask('bench', {
  description: 'Measure synth overhead of the gate, side by side with a cdk-nag v3 pack',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/run.ts',
});

project.synth();
