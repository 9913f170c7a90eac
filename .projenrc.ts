import { awscdk, javascript, JsonFile, release } from 'projen';
import { CDK_FLOORS } from './src/private/cdk-version';

/** The aws-cdk-lib we build and test with; users need only CDK_FLOORS.PACKAGE (measured). */
const CDK_DEV_VERSION = '2.276.0';

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

  // The peer range starts at the lowest aws-cdk-lib every construct, the Aspect and
  // acknowledgements work with (the plugin needs more and says so at run time); measured with
  // scripts/measure-cdk-floors.sh, tested in CI by scripts/cdk-floor.sh. We develop against a
  // newer release: the devDependency is not pinned to the floor.
  cdkVersion: CDK_FLOORS.PACKAGE,
  constructsVersion: '10.5.1',
  peerDependencyOptions: { pinnedDevDependency: false },
  jsiiVersion: '~6.0.0',

  // Test-only oracles and tools. cdk-nag types never appear in our public API, so it is a
  // devDependency: users who only want our gate do not have to install it.
  devDeps: [
    `aws-cdk-lib@${CDK_DEV_VERSION}`,
    // The SARIF 2.1.0 JSON schema (lib/schemas/sarif-2.1.0-rtm.5.json, draft-04) and a validator
    // for it: the report CLI's tests validate its output offline.
    '@microsoft/jest-sarif@1.0.0-beta.0',
    'ajv@^6.12.6',
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

  // `cdk-encryption-guard report`: SARIF / Markdown from a cloud assembly (no runtime dependency).
  bin: { 'cdk-encryption-guard': 'lib/cli/main.js' },

  // CI is `.ci/run`; GitHub is used only to publish. The release workflow
  // (.github/workflows/release.yml, generated) runs when started by hand (workflow_dispatch):
  // it bumps the version from the commit history, builds every language with jsii-pacmak, tags
  // the release and publishes to npm, PyPI, Maven Central, NuGet and the Go module repository,
  // with the registries' credentials as repository secrets (NPM_TOKEN; TWINE_USERNAME,
  // TWINE_PASSWORD; MAVEN_USERNAME, MAVEN_PASSWORD, MAVEN_GPG_PRIVATE_KEY,
  // MAVEN_GPG_PRIVATE_KEY_PASSPHRASE, MAVEN_STAGING_PROFILE_ID; NUGET_API_KEY; GO_GITHUB_TOKEN).
  github: true,
  githubOptions: { mergify: false, pullRequestLint: false },
  pullRequestTemplate: false,
  buildWorkflow: false,
  depsUpgrade: false,
  release: true,
  releaseTrigger: release.ReleaseTrigger.workflowDispatch(),
  releaseToNpm: true,
  npmAccess: javascript.NpmAccess.PUBLIC,
  // The first release is 0.1.0; later ones follow the commit history (scripts/next-version.sh).
  nextVersionCommand: 'bash scripts/next-version.sh',

  // `.jsii.tabl.json`: the translations `npm run rosetta` writes.
  gitignore: ['cdk.out/', '/examples/cdk.out*', '/bench/results/', '/dist/', '/.jsii.tabl.json'],

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'scripts'],
  },
  jestOptions: {
    jestConfig: {
      // Coverage instrumentation costs a third of the suite's time on two cores: `npx jest --coverage` on demand.
      collectCoverage: false,
      // Synthesis with oracles (cdk-nag, cfn-guard, the built-in validator) is slow on two cores.
      testTimeout: 120_000,
      // Two workers on two cores (jest's default would be one): measured 57 s against 88 s for the
      // suite on 2026-12-02, although each worker pays CDK's start-up cost again.
      maxWorkers: 2,
      // The oracle suites (cdk-nag packs, Control Tower controls, the built-in validator over
      // property-based apps), the cdk CLI test and the other slow files (`*.slow.test.ts`: property-
      // based contracts, the benchmark apps) take minutes: `npm run test:oracles`, in CI.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/oracles/', '<rootDir>/test/cli.test.ts', '\\.slow\\.test\\.ts$'],
    },
  },
});

// Only lib/, README, API.md, LICENSE and .jsii belong in the package: not the cdk CLI's context
// file that running the examples leaves at the root, nor test output.
// The CDK component replaces any constructs devDependency with the peer: add it back, unpinned
// from the peer's floor like aws-cdk-lib.
project.addDevDeps('constructs@10.5.1');

project.npmignore?.addPatterns('/examples/', '/bench/', '/scripts/', '/.ci/', '/cdk.context.json', '/cdk.out/', '/test-reports/', '/rosetta/', '/.jsii.tabl.json');

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

project.addTask('test:oracles', {
  description: 'The slow suites: third-party oracles over property-based apps, the cdk CLI on the examples, and every *.slow.test.ts',
  exec: 'jest --coverage=false --ci test/oracles test/cli.test.ts \'\\.slow\\.test\\.ts$\' --testPathIgnorePatterns=/node_modules/',
});

// ts-jest transpiles each test file alone (isolatedModules), so type errors in tests would pass
// unseen: CI type-checks the tests (and what they import: src, examples, bench) as one program.
project.addTask('typecheck:test', {
  description: 'Type-check the tests and everything they import, as one program',
  exec: 'tsc --noEmit -p test/tsconfig.json --isolatedModules false',
});

project.addTask('test:cdk-floor', {
  description: `Run the tests against the lowest supported aws-cdk-lib (${CDK_FLOORS.PACKAGE}) in a scratch copy`,
  exec: 'bash scripts/cdk-floor.sh',
});

// README snippets and `@example`s must translate to every jsii language: jsii-rosetta compiles each
// one (in the fixture rosetta/default.ts-fixture) and fails on any diagnostic. It reads the README and
// docstrings from .jsii, so it compiles first.
project.addTask('rosetta', {
  description: 'Compile every README snippet and @example with jsii-rosetta (fixtures in rosetta/); fail on any diagnostic',
  steps: [
    { spawn: 'compile' },
    { exec: 'jsii-rosetta extract --compile --fail' },
  ],
});

project.addTask('bench', {
  description: 'Measure synth overhead of the gate, side by side with a cdk-nag v3 pack',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/run.ts',
});

project.synth();
