import { App, Aspects, Mixin, NestedStack, Shims, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { envStack, runAll, verdict } from './harness';
import { EnforceEncryption, FindingLevel } from '../../src';

/**
 * Red-team pass 43. With `@aws-cdk/core:aspectStabilization: false` (a flag many existing cdk.json
 * files pin), CDK invokes Aspects in one pass over a snapshot of each node's children. A mixin
 * deferred with `Shims.asAspect` that adds an L1 resource to a scope already walked (the stack, a
 * nested stack) leaves it unvisited by every Aspect, EnforceEncryption included: the Aspect front
 * end judged only what it visited, while the plugin and `evaluate` judged the template. Now the
 * Aspect judges, at validation time, the resources of each stack it visited that no Aspect visited.
 */
const SSE = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] };

/** A "compliance" mixin that, for every bucket it sees, adds a sibling log bucket to the stack (no encryption). */
class AddLogBucket extends Mixin {
  supports(c: IConstruct) { return s3.CfnBucket.isCfnBucket(c) && c.node.id !== 'Logs'; }
  applyTo(c: IConstruct) {
    const stack = Stack.of(c);
    if (!stack.node.tryFindChild('Logs')) new s3.CfnBucket(stack, 'Logs');
  }
}

/** Adds the log bucket into a nested stack of the bucket's stack. */
class AddLogBucketToNested extends Mixin {
  supports(c: IConstruct) { return s3.CfnBucket.isCfnBucket(c) && c.node.id === 'Data'; }
  applyTo(c: IConstruct) {
    const nested = Stack.of(c).node.findChild('Nested');
    if (!nested.node.tryFindChild('Logs')) new s3.CfnBucket(nested, 'Logs');
  }
}

function legacy(app: App) {
  app.node.setContext('@aws-cdk/core:aspectStabilization', false);
}

test('the template has the unencrypted bucket the mixin added', () => {
  const app = new App({ builtinCloudFormationValidation: false });
  legacy(app);
  const stack = envStack(app);
  new s3.CfnBucket(stack, 'Data', { bucketEncryption: SSE });
  Aspects.of(app).add(Shims.asAspect(new AddLogBucket()));
  const template = app.synth().getStackByName(stack.stackName).template;
  expect(template.Resources.Logs).toEqual({ Type: 'AWS::S3::Bucket' }); // no BucketEncryption
});

test('a bucket a deferred mixin adds to the stack: all three front ends flag it', () => {
  const results = runAll(app => {
    legacy(app);
    const stack = envStack(app);
    new s3.CfnBucket(stack, 'Data', { bucketEncryption: SSE });
    Aspects.of(app).add(Shims.asAspect(new AddLogBucket()));
  }, { ruleIds: ['CEG-S3-1'] });
  expect(verdict(results, 'CEG-S3-1', 'Stack/Logs')).toBe('non-compliant');
});

test('a bucket a deferred mixin adds to a nested stack: all three front ends flag it', () => {
  const results = runAll(app => {
    legacy(app);
    const stack = envStack(app);
    new NestedStack(stack, 'Nested');
    new s3.CfnBucket(stack, 'Data', { bucketEncryption: SSE });
    Aspects.of(app).add(Shims.asAspect(new AddLogBucketToNested()));
  }, { ruleIds: ['CEG-S3-1'] });
  expect(verdict(results, 'CEG-S3-1', 'Stack/Nested/Logs')).toBe('non-compliant');
});

test('with aspect stabilization (the default), the same app: every front end flags the added bucket, and only it', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    new s3.CfnBucket(stack, 'Data', { bucketEncryption: SSE });
    Aspects.of(app).add(Shims.asAspect(new AddLogBucket()));
  }, { ruleIds: ['CEG-S3-1'] });
  expect(verdict(results, 'CEG-S3-1', 'Stack/Logs')).toBe('non-compliant');
  expect(verdict(results, 'CEG-S3-1', 'Stack/Data')).toBe('pass');
});

/** Pass 44, on the fix: the late resource is judged like the others, with the Aspects above it, in every synthesis. */
describe('a resource added after the Aspects walked its stack (aspect stabilization off)', () => {
  class AddUnder extends Mixin {
    constructor(private readonly where: (stack: Stack) => IConstruct) { super(); }
    supports(c: IConstruct) { return s3.CfnBucket.isCfnBucket(c) && c.node.id === 'Data'; }
    applyTo(c: IConstruct) {
      const scope = this.where(Stack.of(c));
      if (!scope.node.tryFindChild('Late')) new s3.CfnBucket(scope, 'Late');
    }
  }
  const legacyApp = () => {
    const app = new App({ builtinCloudFormationValidation: false });
    legacy(app);
    return app;
  };
  const annotationsOf = (c: IConstruct) => c.node.metadata.filter(m => m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning')
    .map(m => `${m.type} ${String(m.data).split(':')[0]}`);
  const synthError = (app: App) => {
    try {
      app.synth({ force: true });
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };

  test('is judged with the Aspects on its own ancestors (a stricter one on a sub-construct too), on the resource', () => {
    const app = legacyApp();
    const stack = envStack(app);
    const team = new Construct(stack, 'Team');
    new s3.CfnBucket(team, 'Normal');
    new s3.CfnBucket(stack, 'Data', { bucketEncryption: SSE });
    Aspects.of(app).add(Shims.asAspect(new AddUnder(s => s.node.findChild('Team'))));
    Aspects.of(app).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'], levels: { 'CEG-S3-1': FindingLevel.WARNING } }));
    Aspects.of(team).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'], levels: { 'CEG-S3-1': FindingLevel.ERROR } }));
    const error = synthError(app);
    expect(annotationsOf(team.node.findChild('Normal'))).toEqual(['aws:cdk:error CEG-S3-1']);
    expect(annotationsOf(team.node.findChild('Late'))).toEqual(['aws:cdk:error CEG-S3-1']);
    expect(error).toMatch(/\[Stack\/Team\/Late\] CEG-S3-1/);
  });

  test('its warning is listed with the error of a stack validated before its own (the failing synthesis writes no assembly)', () => {
    const app = legacyApp();
    const first = envStack(app, 'First');
    new s3.CfnBucket(first, 'Bare');
    const second = envStack(app, 'Second');
    new s3.CfnBucket(second, 'Data', { bucketEncryption: SSE });
    Aspects.of(second).add(Shims.asAspect(new AddUnder(s => s)));
    Aspects.of(app).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1', 'CEG-S3-2'], levels: { 'CEG-S3-2': FindingLevel.WARNING } }));
    const error = synthError(app)!;
    expect(error).toMatch(/\[First\/Bare\] CEG-S3-1/);
    const listed = error.slice(error.indexOf('Also in this synthesis'));
    expect(listed).toMatch(/warning on Second\/Data: CEG-S3-2/);
    expect(listed).toMatch(/warning on Second\/Late: CEG-S3-2/);
    expect(annotationsOf(second.node.findChild('Late'))).toEqual(['aws:cdk:error CEG-S3-1', 'aws:cdk:warning CEG-S3-2']);
  });

  test('a whole stack, or a nested stack, added after the Aspects walked its parent is judged, on its resources', () => {
    class AddStack extends Mixin {
      constructor(private readonly nested: boolean) { super(); }
      supports(c: IConstruct) { return s3.CfnBucket.isCfnBucket(c) && c.node.id === 'Data'; }
      applyTo(c: IConstruct) {
        const stack = Stack.of(c);
        const parent = this.nested ? stack : stack.node.scope!;
        if (!parent.node.tryFindChild('LateStack')) {
          const late = this.nested ? new NestedStack(stack, 'LateStack') : envStack(parent, 'LateStack');
          new s3.CfnBucket(late, 'Bare');
        }
      }
    }
    for (const nested of [false, true]) {
      const app = legacyApp();
      const stack = envStack(app);
      new s3.CfnBucket(stack, 'Data', { bucketEncryption: SSE });
      Aspects.of(app).add(Shims.asAspect(new AddStack(nested)));
      Aspects.of(app).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
      const path = nested ? 'Stack/LateStack/Bare' : 'LateStack/Bare';
      expect(synthError(app)).toContain(`[${path}] CEG-S3-1`);
      expect(annotationsOf(app.node.findAll().find(c => c.node.path === path)!)).toEqual(['aws:cdk:error CEG-S3-1']);
    }
  });

  test('an Aspect on a sub-construct alone judges a resource added below it after its walk', () => {
    const app = legacyApp();
    const stack = envStack(app);
    const team = new Construct(stack, 'Team');
    new s3.CfnBucket(team, 'Data', { bucketEncryption: SSE });
    Aspects.of(team).add(Shims.asAspect(new AddUnder(s => s.node.findChild('Team'))));
    Aspects.of(team).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
    expect(synthError(app)).toContain('[Stack/Team/Late] CEG-S3-1');
    expect(annotationsOf(team.node.findChild('Data'))).toEqual([]);
  });

  test('in a Stage under a plain construct, judged by the Stage\'s Aspect in the Stage\'s synthesis (and by the App\'s, which cannot reach it)', () => {
    for (const where of ['stage', 'app']) {
      const app = legacyApp();
      const stage = new Stage(new Construct(app, 'Plain'), 'Stage');
      stage.node.setContext('@aws-cdk/core:aspectStabilization', false);
      const stack = envStack(stage);
      new s3.CfnBucket(stack, 'Data', { bucketEncryption: SSE });
      Aspects.of(stage).add(Shims.asAspect(new AddUnder(s => s)));
      Aspects.of(where === 'stage' ? stage : app).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
      const error = synthError(app)!;
      expect(error).toContain(where === 'stage' ? '[Plain/Stage/Stack/Late] CEG-S3-1' : 'Plain/Stage/Stack/Late: CEG-S3-1');
      expect(error).not.toContain('Stack/Data');
    }
  });

  test('a second, forced synthesis judges it again, as it does an ordinary resource', () => {
    for (const late of [false, true]) {
      const app = legacyApp();
      const stack = envStack(app);
      new s3.CfnBucket(stack, 'Data', { bucketEncryption: SSE });
      if (late) {
        Aspects.of(app).add(Shims.asAspect(new AddUnder(s => s)));
      } else {
        new s3.CfnBucket(stack, 'Late');
      }
      Aspects.of(app).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
      expect(synthError(app)).toMatch(/Stack\/Late\] CEG-S3-1/);
      expect(synthError(app)).toMatch(/Stack\/Late\] CEG-S3-1/);
    }
  });
});
