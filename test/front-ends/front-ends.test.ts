import { readFileSync, writeFileSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Aspects, AspectPriority, CfnParameter, IAspect, NestedStack, Size, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Construct, IConstruct } from 'constructs';
import { EncryptionChecks, EncryptionGate, EnforceEncryption, FindingLevel, RuleCatalogue, RuleService } from '../../src';
import { newApp, newStack } from '../support/app';

/** A bucket that every S3 rule passes. */
const SECURE_BUCKET: s3.BucketProps = {
  encryption: s3.BucketEncryption.KMS_MANAGED, enforceSSL: true, minimumTLSVersion: 1.2, blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C],
};

/**
 * A stack with one unencrypted bucket (that also accepts plain HTTP), volume and DB instance, and
 * one secure bucket. The plain bucket has two errors (CEG-S3-1, CEG-S3-2) and two warnings.
 */
function mixedStack(scope: IConstruct, id = 'Stack'): Stack {
  const stack = newStack(scope, id);
  new s3.Bucket(stack, 'Plain');
  new s3.Bucket(stack, 'Encrypted', SECURE_BUCKET);
  new ec2.CfnVolume(stack, 'Volume', { availabilityZone: 'eu-west-1a', size: 10 });
  // TLS is forced, so that the only finding on the database is its unencrypted storage.
  const tls = new rds.CfnDBParameterGroup(stack, 'Tls', { family: 'postgres16', description: 'TLS only', parameters: { 'rds.force_ssl': '1' } });
  new rds.CfnDBInstance(stack, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', dbParameterGroupName: tls.ref });
  return stack;
}

function synthError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synthesis to fail');
}

function errorsOn(resource: IConstruct): string[] {
  return resource.node.metadata.filter(m => m.type === 'aws:cdk:error').map(m => String(m.data));
}

describe('EnforceEncryption (Aspect)', () => {
  test('in-process synthesis throws, listing every finding with its L1 path, and each L1 carries an error annotation', () => {
    const app = newApp();
    const stack = mixedStack(app);
    Aspects.of(app).add(new EnforceEncryption());
    const message = synthError(app);
    // Error lines name their L1 in brackets; the warnings of the synthesis follow them (see findings-ux).
    const lines = message.split('\n').filter(l => /\[[^\]]+\] CEG-/.test(l));
    expect(message).toMatch(/Also in this synthesis, 2 warnings/);
    expect(lines.map(l => /\[([^\]]+)\] (CEG-\S+):/.exec(l)!.slice(1, 3))).toEqual([
      ['Stack/Plain/Resource', 'CEG-S3-1'],
      ['Stack/Plain/Resource', 'CEG-S3-2'],
      ['Stack/Volume', 'CEG-EBS-1'],
      ['Stack/Db', 'CEG-RDS-2'],
    ]);
    expect(errorsOn(stack.node.findChild('Volume'))).toEqual([expect.stringMatching(/^CEG-EBS-1: The volume sets no Encrypted\. Fix: /)]);
    expect(errorsOn(stack.node.findChild('Encrypted').node.defaultChild!)).toEqual([]);
  });

  test('a compliant app synthesizes', () => {
    const app = newApp();
    const stack = newStack(app);
    new s3.Bucket(stack, 'Encrypted', SECURE_BUCKET);
    new ec2.Volume(stack, 'Volume', { availabilityZone: 'eu-west-1a', size: Size.gibibytes(1), encrypted: true });
    Aspects.of(app).add(new EnforceEncryption());
    expect(() => app.synth()).not.toThrow();
  });

  test('warning-level findings are warning annotations and do not fail synthesis', () => {
    const app = newApp();
    const stack = mixedStack(app);
    Aspects.of(app).add(new EnforceEncryption({
      levels: { 'CEG-S3-1': FindingLevel.WARNING, 'CEG-S3-2': FindingLevel.WARNING, 'CEG-EBS-1': FindingLevel.WARNING },
      excludeRuleIds: ['CEG-RDS-2'],
    }));
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Plain/Resource', Match.stringLikeRegexp('^CEG-S3-1: The bucket declares no BucketEncryption'));
    annotations.hasWarning('/Stack/Volume', Match.stringLikeRegexp('^CEG-EBS-1: '));
    annotations.hasWarning('/Stack/Plain/Resource', Match.stringLikeRegexp('^CEG-S3-4: Server-side encryption rule|^CEG-S3-4: The bucket declares no'));
    annotations.hasNoError('*', Match.anyValue());
  });

  test('acknowledgements on the resource or an ancestor stop the failure; the finding is recorded with its reason, not printed', () => {
    const app = newApp();
    const stack = mixedStack(app);
    Validations.of(stack.node.findChild('Plain')).acknowledge(
      { id: 'CEG-S3-1', reason: 'Public dataset, encrypted by S3 default' }, { id: 'CEG-S3-2', reason: 'Public dataset' });
    Validations.of(stack).acknowledge({ id: 'CEG-EBS-1', reason: 'Scratch volume' }, { id: 'CEG-RDS-2', reason: 'Migrated next sprint' });
    Aspects.of(app).add(new EnforceEncryption());
    const annotations = Annotations.fromStack(stack);
    annotations.hasNoError('*', Match.anyValue());
    // No annotation (the CLI would print it with CDK's "Acknowledge with" hint), but metadata the
    // report command reads, with the reason, the level it would have and the acknowledged ID.
    annotations.hasNoInfo('*', Match.anyValue());
    const recorded = (path: string) => stack.node.findAll().find(c => c.node.path === path)!.node.metadata
      .filter(m => m.type === 'cdk-encryption-guard:acknowledged-finding').map(m => m.data);
    expect(recorded('Stack/Plain/Resource')).toEqual(expect.arrayContaining([expect.objectContaining({
      ruleId: 'CEG-S3-1',
      level: 'error',
      reason: 'Public dataset, encrypted by S3 default',
      acknowledgedId: 'Annotation::CEG-S3-1',
      message: expect.stringMatching(/^CEG-S3-1: /),
    })]));
    expect(recorded('Stack/Db')).toEqual([expect.objectContaining({ ruleId: 'CEG-RDS-2', reason: 'Migrated next sprint' })]);
  });

  test('an acknowledgement of another rule does not hide a finding', () => {
    const app = newApp();
    const stack = mixedStack(app);
    Validations.of(stack).acknowledge({ id: 'CEG-S3-1', reason: 'only buckets' }, { id: 'AwsSolutions::CEG-EBS-1', reason: 'another namespace' });
    Aspects.of(app).add(new EnforceEncryption({ services: [RuleService.EBS, RuleService.S3] }));
    expect(synthError(app)).toMatch(/\[Stack\/Volume\] CEG-EBS-1/);
  });

  test('options select rules by ID or service, and unresolvable findings take their own level', () => {
    const app = newApp();
    const stack = mixedStack(app);
    new ec2.CfnVolume(stack, 'FromSnapshot', { availabilityZone: 'eu-west-1a', snapshotId: 'snap-0123456789abcdef0' });
    const byService = EncryptionGate.evaluate(stack, { services: [RuleService.EBS] });
    expect(new Set(byService.map(f => f.ruleId))).toEqual(new Set(['CEG-EBS-1']));
    const byId = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-RDS-2'], services: [RuleService.S3] });
    expect(new Set(byId.map(f => f.ruleId))).toEqual(new Set(['CEG-RDS-2', 'CEG-S3-1', 'CEG-S3-2', 'CEG-S3-3', 'CEG-S3-4']));
    const relaxed = EncryptionGate.evaluate(stack, { unresolvableLevel: FindingLevel.WARNING });
    expect(relaxed.find(f => f.constructPath === 'Stack/FromSnapshot')).toMatchObject({ kind: 'unresolvable', level: 'warning' });
    expect(relaxed.find(f => f.constructPath === 'Stack/Volume')).toMatchObject({ kind: 'non-compliant', level: 'error' });
    // Never stricter than the rule: a warning rule's unresolvable finding is a warning, unless its level is raised.
    const chosen = new ssm.StringParameter(stack, 'Chosen', { stringValue: new CfnParameter(stack, 'Value').valueAsString });
    const ssmPath = chosen.node.defaultChild!.node.path;
    const level = (options: object) => EncryptionGate.evaluate(stack, { services: [RuleService.SSM], ...options })
      .find(f => f.constructPath === ssmPath);
    expect(level({})).toMatchObject({ ruleId: 'CEG-SSM-2', kind: 'unresolvable', level: 'warning' });
    expect(level({ levels: { 'CEG-SSM-2': FindingLevel.ERROR } })).toMatchObject({ kind: 'unresolvable', level: 'error' });
    expect(level({ unresolvableLevel: FindingLevel.INFO })).toMatchObject({ kind: 'unresolvable', level: 'info' });
  });

  test('unknown rule IDs and levels are refused at construction, naming the option', () => {
    expect(() => new EnforceEncryption({ ruleIds: ['CEG-S3-9'] })).toThrow(/ruleIds names an unknown rule "CEG-S3-9"\. Known rules: CEG-S3-1/);
    expect(() => new EncryptionChecks({ excludeRuleIds: ['S3-1'] })).toThrow(/excludeRuleIds names an unknown rule "S3-1"/);
    expect(() => new EnforceEncryption({ levels: { 'CEG-EBS-1': 'fatal' as FindingLevel } })).toThrow(/levels\["CEG-EBS-1"\] is "fatal"/);
  });

  test('it judges what is synthesized: after other Aspects, escape hatches and L2 Aspects', () => {
    const app = newApp();
    const stack = newStack(app);
    const bucket = new s3.Bucket(stack, 'Bucket', SECURE_BUCKET);
    // A (badly behaved) mutating Aspect that strips encryption runs before the gate judges.
    class StripEncryption implements IAspect {
      public visit(node: IConstruct): void {
        if (node instanceof s3.CfnBucket) {
          node.bucketEncryption = undefined;
        }
      }
    }
    Aspects.of(app).add(new EnforceEncryption());
    Aspects.of(app).add(new StripEncryption(), { priority: AspectPriority.MUTATING });
    expect(synthError(app)).toMatch(/\[Stack\/Bucket\/Resource\] CEG-S3-1/);
    expect(EncryptionGate.evaluate(bucket).map(f => f.ruleId)).toEqual(['CEG-S3-1', 'CEG-S3-4']);
  });

  test('nested stacks are covered', () => {
    const app = newApp();
    const parent = newStack(app, 'Parent');
    const nested = new NestedStack(parent, 'Nested');
    new s3.CfnBucket(nested, 'Plain');
    Aspects.of(app).add(new EnforceEncryption());
    expect(synthError(app)).toMatch(/\[Parent\/Nested\/Plain\] CEG-S3-1/);
  });

  test('stages: an Aspect on the Stage annotates there; an Aspect only on the App still fails on the Stage', () => {
    const gated = newApp();
    const stage = new Stage(gated, 'Prod');
    mixedStack(stage);
    Aspects.of(stage).add(new EnforceEncryption());
    expect(synthError(gated)).toMatch(/\[Prod\/Stack\/Plain\/Resource\] CEG-S3-1/);

    const appOnly = newApp();
    mixedStack(new Stage(appOnly, 'Prod'));
    Aspects.of(appOnly).add(new EnforceEncryption());
    const message = synthError(appOnly);
    expect(message).toMatch(/Prod\/Stack\/Plain\/Resource: CEG-S3-1: .*in Stage "Prod", which Aspects of the App do not reach/);
    expect(message).toMatch(/Prod\/Stack\/Volume: CEG-EBS-1/);
    // CDK prefixes each error with the path of the construct reporting it; the App's is empty.
    expect(message).toMatch(/\[EncryptionGate\] Prod\/Stack\/Volume: CEG-EBS-1/);
    expect(message).not.toMatch(/^\s*\[\] /m);
    // The reporting construct holds no resource: the templates are those of the app without it.
    expect(appOnly.node.findChild('EncryptionGate').node.children).toHaveLength(0);
    // The Stage's warnings have no other place to show: they come with its errors.
    const withWarning = newApp();
    const warned = new Stage(withWarning, 'Prod');
    mixedStack(warned);
    new efs.CfnFileSystem(new Stack(warned, 'Files'), 'Fs', { encrypted: true });
    Aspects.of(withWarning).add(new EnforceEncryption());
    const warnedMessage = synthError(withWarning);
    expect(warnedMessage).toMatch(/Also in Stage "Prod", 3 warnings \(they do not fail it\):\n/);
    expect(warnedMessage).toMatch(/^\s+warning on Prod\/Files\/Fs: CEG-EFS-2: /m);

    // A Stage under a plain construct, and one inside a Stage: still a readable prefix.
    const deep = newApp();
    const outer = new Stage(new Construct(deep, 'Group'), 'Outer');
    mixedStack(new Stage(outer, 'Inner'));
    Aspects.of(deep).add(new EnforceEncryption());
    const deepMessage = synthError(deep);
    expect(deepMessage).toMatch(/\[EncryptionGate\] Group\/Outer\/Inner\/Stack\/Volume: CEG-EBS-1/);
    expect(deepMessage).not.toMatch(/^\s*\[\] /m);
    // Each finding once, in its closest Stage (the outer Stage's validation does not walk into the inner one).
    expect(deepMessage.match(/Group\/Outer\/Inner\/Stack\/Volume: CEG-EBS-1/g)).toHaveLength(1);
    expect(deepMessage).toMatch(/Volume: CEG-EBS-1: .*in Stage "Group\/Outer\/Inner"/);
    expect(deepMessage).not.toMatch(/in Stage "Group\/Outer",/);
  });

  test('an Aspect on a plain construct that holds a Stage judges that Stage (it judged nothing there)', () => {
    const app = newApp();
    const group = new Construct(app, 'Prod');
    mixedStack(new Stage(group, 'Eu'));
    Aspects.of(group).add(new EnforceEncryption());
    const message = synthError(app);
    expect(message.match(/Prod\/Eu\/Stack\/Plain\/Resource: CEG-S3-1: .*in Stage "Prod\/Eu", which Aspects of the App do not reach/g)).toHaveLength(1);
  });

  test('two Aspects on the App and a Stage they cannot reach: each finding once, at the strictest level either gives', () => {
    const app = newApp();
    const stack = newStack(new Stage(app, 'Prod'), 'Stack');
    new s3.CfnBucket(stack, 'Kms', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] } });
    new ssm.CfnParameter(stack, 'Password', { type: 'String', name: '/db/password', value: 'x' });
    Aspects.of(app).add(new EnforceEncryption());
    Aspects.of(app).add(new EnforceEncryption({ levels: { 'CEG-SSM-2': FindingLevel.ERROR } }));
    const message = synthError(app);
    expect(message.match(/Prod\/Stack\/Kms: CEG-S3-2: /g)).toHaveLength(1);
    // A warning of the first Aspect, an error of the second: one error.
    expect(message.match(/Prod\/Stack\/Password: CEG-SSM-2: /g)).toHaveLength(1);
    expect(message).not.toMatch(/warning on Prod\/Stack\/Password: CEG-SSM-2/);
    expect(message.match(/Also in Stage "Prod"/g)).toHaveLength(1);
  });


  test('a flag holds where any Aspect above sets it, also one that selects no rule it tightens, in whichever order they visit', () => {
    const sseS3 = (scope: IConstruct) => new s3.Bucket(scope, 'Sse', { ...SECURE_BUCKET, encryption: s3.BucketEncryption.S3_MANAGED });
    // The flag on the App (visits first), the rule on the Stack; then the other way round.
    const appFlag = newApp();
    const first = newStack(appFlag);
    sseS3(first);
    Aspects.of(appFlag).add(new EnforceEncryption({ ruleIds: ['CEG-EBS-1'], requireKmsForS3: true }));
    Aspects.of(first).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
    expect(synthError(appFlag)).toMatch(/\[Stack\/Sse\/Resource\] CEG-S3-1: /);

    const stackFlag = newApp();
    const second = newStack(stackFlag);
    sseS3(second);
    Aspects.of(stackFlag).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
    Aspects.of(second).add(new EnforceEncryption({ services: [RuleService.EBS], requireCustomerManagedKeys: true }));
    expect(synthError(stackFlag)).toMatch(/\[Stack\/Sse\/Resource\] CEG-S3-1: /);

    // The flag alone judges nothing: no rule for the bucket, no finding.
    const alone = newApp();
    sseS3(newStack(alone));
    Aspects.of(alone).add(new EnforceEncryption({ ruleIds: ['CEG-EBS-1'], requireKmsForS3: true }));
    expect(() => alone.synth()).not.toThrow();
  });
  test('resources brought in with CfnInclude are judged, intrinsics included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ceg-include-'));
    const templateFile = join(dir, 'legacy.json');
    writeFileSync(templateFile, JSON.stringify({
      Parameters: { Encrypt: { Type: 'String', AllowedValues: ['true', 'false'] } },
      Resources: {
        LegacyBucket: { Type: 'AWS::S3::Bucket' },
        LegacyVolume: { Type: 'AWS::EC2::Volume', Properties: { AvailabilityZone: 'eu-west-1a', Size: 10, Encrypted: { Ref: 'Encrypt' } } },
        LegacyParameters: {
          Type: 'AWS::RDS::DBParameterGroup',
          Properties: { Family: 'mysql8.0', Description: 'TLS only', Parameters: { require_secure_transport: 'ON' } },
        },
        LegacyDb: {
          Type: 'AWS::RDS::DBInstance',
          Properties: { Engine: 'mysql', DBInstanceClass: 'db.t4g.micro', StorageEncrypted: 'true', DBParameterGroupName: { Ref: 'LegacyParameters' } },
        },
      },
    }));
    const app = newApp();
    const stack = newStack(app);
    new CfnInclude(stack, 'Legacy', { templateFile });
    Aspects.of(app).add(new EnforceEncryption());
    const message = synthError(app);
    expect(message).toMatch(/\[Stack\/Legacy\/LegacyBucket\] CEG-S3-1: The bucket declares no BucketEncryption/);
    expect(message).toMatch(/\[Stack\/Legacy\/LegacyVolume\] CEG-EBS-1: Encrypted cannot be known at synth time: it is a Ref to "Encrypt"/);
    expect(message).not.toMatch(/LegacyDb/);
  });
});

describe('EncryptionChecks (validation plugin)', () => {
  test('findings land in the validation report and fail synthesis; CDK moves acknowledged ones to the suppressed violations with the reason', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'ceg-plugin-'));
    const app = newApp({ outdir });
    const stack = mixedStack(app);
    Validations.of(stack.node.findChild('Db')).acknowledge({ id: 'CEG-RDS-2', reason: 'Decommissioned next week' });
    Validations.of(app).addPlugins(new EncryptionChecks());
    const message = synthError(app);
    expect(message).toMatch(/CEG-S3-1: The bucket declares no BucketEncryption/);
    expect(message).toMatch(/CEG-EBS-1: The volume sets no Encrypted/);

    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const plugin = report.pluginReports.find((r: { pluginName: string }) => r.pluginName === 'EncryptionChecks');
    expect(plugin.conclusion).toBe('failure');
    const rules = plugin.violations.map((v: { ruleName: string; severity: string }) => `${v.ruleName}:${v.severity}`).sort();
    expect(rules).toEqual(['CEG-EBS-1:error', 'CEG-S3-1:error', 'CEG-S3-2:error', 'CEG-S3-3:warning', 'CEG-S3-4:warning']);
    expect(plugin.suppressedViolations).toHaveLength(1);
    expect(plugin.suppressedViolations[0]).toMatchObject({
      ruleName: 'Annotation::CEG-RDS-2',
      acknowledgedId: 'Annotation::CEG-RDS-2',
      reason: 'Decommissioned next week',
      acknowledgedAt: 'Stack/Db',
      ruleMetadata: { acknowledgementReason: 'Decommissioned next week', level: 'error' },
    });
    expect(plugin.suppressedViolations[0].description).toMatch(/CEG-RDS-2: /);
    const volume = plugin.violations.find((v: { ruleName: string }) => v.ruleName === 'CEG-EBS-1');
    expect(volume.violatingConstructs[0]).toMatchObject({
      constructPath: 'Stack/Volume',
      cloudFormationResource: { templatePath: 'Stack.template.json', logicalId: 'Volume', propertyPaths: ['Properties.Encrypted'] },
    });
  });

  test('it passes a compliant app, and an acknowledged-only app, and honours the options', () => {
    const app = newApp();
    const stack = mixedStack(app);
    Validations.of(stack).acknowledge({ id: 'CEG-S3-1', reason: 'r' }, { id: 'CEG-S3-2', reason: 'r' }, { id: 'CEG-EBS-1', reason: 'r' });
    Validations.of(app).addPlugins(new EncryptionChecks({ excludeRuleIds: ['CEG-RDS-2'] }));
    // CDK prints the report of a passing synthesis too: capture it and check it lists what passed.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => app.synth()).not.toThrow();
      const output = printed.mock.calls.flat().join('\n');
      expect(output).toMatch(/WARNING CEG-S3-3: /);
      // Acknowledged findings are suppressed by CDK: not printed, no "Acknowledge with" hint for them.
      expect(output).not.toMatch(/CEG-S3-1|CEG-S3-2|CEG-EBS-1|Acknowledged/);
    } finally {
      printed.mockRestore();
    }
    expect(new EncryptionChecks({ services: [RuleService.RDS] }).ruleIds).toEqual(['CEG-RDS-1', 'CEG-RDS-2', 'CEG-RDS-3']);
    expect(new EncryptionChecks().ruleIds).toEqual(RuleCatalogue.all().map(r => r.id));
  });

  test('both front ends report the same findings on the same app', () => {
    const build = () => {
      const app = newApp();
      mixedStack(app);
      const nested = new NestedStack(app.node.findChild('Stack') as Stack, 'Nested');
      new ec2.CfnVolume(nested, 'NestedVolume', { availabilityZone: 'eu-west-1a', size: 1 });
      return app;
    };
    const aspectApp = build();
    Aspects.of(aspectApp).add(new EnforceEncryption());
    const fromAspect = [...synthError(aspectApp).matchAll(/\[([^\]]+)\] (CEG-\S+):/g)].map(m => `${m[2]} ${m[1]}`).sort();

    const pluginApp = build();
    Validations.of(pluginApp).addPlugins(new EncryptionChecks());
    synthError(pluginApp);
    const report = JSON.parse(readFileSync(join(pluginApp.outdir, 'validation-report.json'), 'utf8'));
    const plugin = report.pluginReports.find((r: { pluginName: string }) => r.pluginName === 'EncryptionChecks');
    // The Aspect's exception lists the errors; the report also lists warnings.
    const fromPlugin = plugin.violations.filter((v: { severity: string }) => v.severity === 'error')
      .flatMap((v: { ruleName: string; violatingConstructs: Array<{ constructPath: string }> }) =>
        v.violatingConstructs.map(r => `${v.ruleName} ${r.constructPath}`)).sort();
    expect(fromPlugin).toEqual(fromAspect);
    expect(fromAspect).toContain('CEG-EBS-1 Stack/Nested/NestedVolume');
  });
});
