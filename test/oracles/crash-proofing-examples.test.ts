import { App, Aws, CfnCondition, CfnParameter, CfnResource, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { CompliantStack } from '../../examples/compliant-app';
import { EncryptionServicesStack } from '../../examples/encryption-services-app';
import { addKeyStacks } from '../../examples/multi-region-keys-app';
import { NonCompliantStack } from '../../examples/noncompliant-app';
import { WebAppStack } from '../../examples/web-app';
import { crashes, runCombined } from '../gate-semantics/harness';

/**
 * Crash-proofing on the example apps: every resource of every example (every type, not only the
 * gated ones), each top-level property overridden with a token of another resource of its stack.
 * Round i overrides the i-th property of every resource at once; then every property at once with
 * a Lazy that produces undefined, and with an Fn::If between a token and AWS::NoValue. Every front
 * end must complete: findings are fine, an exception is not. About 20 syntheses of every example
 * (30-60 s on two cores): it runs with the slow suites (`npm run test:oracles`); the representative
 * app of test/gate-semantics/crash-proofing.test.ts covers the gated types in `npm test`.
 */

const env = { account: '111111111111', region: 'eu-west-1' };

function examples(app: App): void {
  app.node.setContext('availability-zones:account=111111111111:region=eu-west-1', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  new CompliantStack(app, 'CompliantApp', { env });
  new NonCompliantStack(app, 'NonCompliantApp', { env });
  new WebAppStack(app, 'WebApp', { env });
  new EncryptionServicesStack(app, 'EncryptionServices', { env });
  addKeyStacks(app);
}

function cfnResources(app: App): CfnResource[] {
  return app.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
}

/** Every resource of the examples with its top-level property names, as synthesized. */
function inventory(): Map<string, string[]> {
  const app = new App({ builtinCloudFormationValidation: false });
  examples(app);
  const assembly = app.synth();
  const byPath = new Map<string, string[]>();
  for (const resource of cfnResources(app)) {
    const stack = Stack.of(resource);
    const template = assembly.getStackArtifact(stack.artifactId).template;
    const rendered = template.Resources?.[stack.resolve(resource.logicalId)];
    byPath.set(resource.node.path, Object.keys(rendered?.Properties ?? {}));
  }
  return byPath;
}

const resources = inventory();
const rounds = Math.max(...[...resources.values()].map(p => p.length));

/** Another resource of the same stack, whose token the override uses. */
function otherIn(resource: CfnResource, all: CfnResource[]): CfnResource {
  const stack = Stack.of(resource);
  return all.find(r => r !== resource && Stack.of(r) === stack && r.cfnResourceType !== 'AWS::CDK::Metadata')!;
}

function overrideEach(app: App, value: (resource: CfnResource, other: CfnResource) => unknown, pick: (properties: string[]) => string[]): void {
  const all = cfnResources(app);
  for (const resource of all) {
    const properties = resources.get(resource.node.path) ?? [];
    for (const property of pick(properties)) {
      resource.addPropertyOverride(property, value(resource, otherIn(resource, all)));
    }
  }
}

test('the examples hold every construct of the library and many resource types', () => {
  const types = new Set(cfnResources((() => {
    const app = new App();
    examples(app);
    return app;
  })()).map(r => r.cfnResourceType));
  expect(resources.size).toBeGreaterThan(100);
  expect(types.size).toBeGreaterThan(30);
  expect(rounds).toBeGreaterThan(10);
});

test.each([...Array(rounds).keys()])('round %i: every front end completes with the i-th property of every resource a token of another', (round) => {
  const results = runCombined(app => {
    examples(app);
    overrideEach(app, (_resource, other) => other.ref, properties => properties.slice(round, round + 1));
  });
  expect(crashes(results)).toEqual([]);
});

test('every property of every resource a Lazy that produces undefined', () => {
  const results = runCombined(app => {
    examples(app);
    overrideEach(app, () => Lazy.any({ produce: () => undefined }), properties => properties);
  });
  expect(crashes(results)).toEqual([]);
});

test('every property of every resource an Fn::If between a token and AWS::NoValue', () => {
  const results = runCombined(app => {
    examples(app);
    const conditions = new Map<Stack, CfnCondition>();
    overrideEach(app, (resource, other) => {
      const stack = Stack.of(resource);
      let condition = conditions.get(stack);
      if (condition === undefined) {
        condition = new CfnCondition(stack, 'CrashCondition', { expression: Fn.conditionEquals(new CfnParameter(stack, 'CrashParam').valueAsString, 'x') });
        conditions.set(stack, condition);
      }
      return Fn.conditionIf(condition.logicalId, other.ref, Aws.NO_VALUE);
    }, properties => properties);
  });
  expect(crashes(results)).toEqual([]);
});
