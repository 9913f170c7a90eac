import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CfnCondition, CfnDynamicReference, CfnDynamicReferenceService, CfnParameter, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Construct } from 'constructs';
import { crashes, envStack, runAll, verdict } from './harness';

/**
 * Class 8 of issue 13, parameters: what a parameter is at deploy time is known when a parent stack
 * passes a literal to a nested stack's String parameter, and bounded by its AllowedValues. What
 * only the deployment tells (a value the parent takes from its own parameter, a list parameter)
 * still forks into both branches.
 */

/** A volume encrypted only when `Env` is `prod`, in `scope`'s stack, with `Env` of the given type. */
function volumeOnEnv(scope: Construct, props: { type?: string; allowedValues?: string[]; default?: string } = {}, unencryptedIn?: string): void {
  const env = new CfnParameter(scope, 'Env', { type: 'String', ...props });
  const value = props.type === 'CommaDelimitedList' ? Fn.select(0, env.valueAsList) : env.valueAsString;
  const isProd = new CfnCondition(scope, 'IsProd', { expression: Fn.conditionEquals(value, unencryptedIn ?? 'prod') });
  // Encrypted only in prod; or, given `unencryptedIn`, everywhere but there.
  const encrypted = unencryptedIn === undefined ? Fn.conditionIf(isProd.logicalId, true, false) : Fn.conditionIf(isProd.logicalId, false, true);
  new ec2.CfnVolume(scope, 'Volume', { availabilityZone: 'eu-west-1a', size: 1, encrypted: encrypted as any });
}

describe('a literal passed by the parent decides a nested stack\'s condition', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    volumeOnEnv(new NestedStack(stack, 'Prod', { parameters: { Env: 'prod' } }));
    volumeOnEnv(new NestedStack(stack, 'Dev', { parameters: { Env: 'dev' } }));
    // Passed on from the parent's own parameter: only the deployment tells.
    const parentEnv = new CfnParameter(stack, 'ParentEnv', { type: 'String' });
    volumeOnEnv(new NestedStack(stack, 'FromParent', { parameters: { Env: parentEnv.valueAsString } }));
    // A list parameter splits what it is given: not taken as the literal.
    volumeOnEnv(new NestedStack(stack, 'List', { parameters: { Env: 'prod' } }), { type: 'CommaDelimitedList' });
    // Two levels: the middle stack passes a literal on.
    const middle = new NestedStack(stack, 'Middle');
    volumeOnEnv(new NestedStack(middle, 'Inner', { parameters: { Env: 'prod' } }));
    // Passed nothing, a nested stack's parameter is its default; a top-level stack's may be given at deploy time.
    volumeOnEnv(new NestedStack(stack, 'Defaulted'), { default: 'prod' });
    volumeOnEnv(envStack(app, 'TopLevel'), { default: 'prod' });
  });

  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('"prod" passed: the encrypted branch is the only one', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Prod/Volume')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Middle/Inner/Volume')).toBe('pass');
  });
  test('passed nothing, a nested stack\'s parameter is its default; a top-level stack\'s default may be overridden', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Defaulted/Volume')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-1', 'TopLevel/Volume')).toBe('non-compliant');
  });
  test('"dev" passed: the unencrypted branch is the only one', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Dev/Volume')).toBe('non-compliant');
  });
  test('a value only the deployment tells still forks, and the unencrypted branch is found', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/FromParent/Volume')).toBe('non-compliant');
    expect(verdict(results, 'CEG-EBS-1', 'Stack/List/Volume')).toBe('non-compliant');
  });
});

describe('AllowedValues bound a parameter', () => {
  const results = runAll(app => {
    volumeOnEnv(envStack(app, 'OnlyProd'), { allowedValues: ['prod'] });
    volumeOnEnv(envStack(app, 'OnlyDev'), { allowedValues: ['dev', 'test'] });
    volumeOnEnv(envStack(app, 'Either'), { allowedValues: ['dev', 'prod'] });
    volumeOnEnv(envStack(app, 'ProdTwice'), { allowedValues: ['prod', 'prod'] });
  });

  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('only "prod" allowed: the condition always holds', () => {
    expect(verdict(results, 'CEG-EBS-1', 'OnlyProd/Volume')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-1', 'ProdTwice/Volume')).toBe('pass');
  });
  test('"prod" not allowed: the condition never holds', () => {
    expect(verdict(results, 'CEG-EBS-1', 'OnlyDev/Volume')).toBe('non-compliant');
  });
  test('"prod" among others: both branches are judged', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Either/Volume')).toBe('non-compliant');
  });
});

describe('an included template passing a literal to its nested template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ceg-parameters-'));
  const child = join(dir, 'child.json');
  writeFileSync(child, JSON.stringify({
    Parameters: { Env: { Type: 'String' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
    Resources: {
      Volume: { Type: 'AWS::EC2::Volume', Properties: { AvailabilityZone: 'eu-west-1a', Size: 1, Encrypted: { 'Fn::If': ['IsProd', true, false] } } },
    },
  }));
  const parent = (env: string) => {
    const file = join(dir, `parent-${env}.json`);
    writeFileSync(file, JSON.stringify({
      Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/child.json', Parameters: { Env: env } } } },
    }));
    return file;
  };
  const results = runAll(app => {
    for (const env of ['prod', 'dev']) {
      const stack: Stack = envStack(app, `Included-${env}`);
      new CfnInclude(stack, 'Template', { templateFile: parent(env), loadNestedStacks: { Child: { templateFile: child } } });
    }
  });

  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('the literal decides the nested condition', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Included-prod/Template/Child/Child/Volume')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-1', 'Included-dev/Template/Child/Child/Volume')).toBe('non-compliant');
  });
});

describe('what a nested stack is given is a literal only when CloudFormation uses it as one', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    // Names are case-sensitive: a value passed to ENV is not Env's, which keeps its default.
    const cased = new NestedStack(stack, 'Cased', { parameters: { ENV: 'prod' } });
    new CfnParameter(cased, 'ENV', { type: 'String' });
    volumeOnEnv(cased, { default: 'dev' });
    // A dynamic reference is resolved at deploy time, passed or as a default.
    const dynamic = new CfnDynamicReference(CfnDynamicReferenceService.SSM, '/config/env').toString();
    volumeOnEnv(new NestedStack(stack, 'Dynamic', { parameters: { Env: dynamic } }), {}, 'off');
    volumeOnEnv(new NestedStack(stack, 'DynamicDefault'), { default: '{{resolve:ssm:/config/env:1}}' }, 'off');
    // A NoEcho value copied into a plain SSM parameter is still a secret in plain text.
    const secretive = new NestedStack(stack, 'Secretive', { parameters: { DbPassword: 'hunter2hunter2' } });
    const password = new CfnParameter(secretive, 'DbPassword', { type: 'String', noEcho: true });
    new ssm.CfnParameter(secretive, 'Plain', { type: 'String', name: '/app/config/db', value: password.valueAsString });
    // An SSM parameter type: AllowedValues bound its key, not the value a Ref reads.
    const mode = new CfnParameter(stack, 'Mode', { type: 'AWS::SSM::Parameter::Value<String>', allowedValues: ['/config/volume-mode'] });
    const off = new CfnCondition(stack, 'Off', { expression: Fn.conditionEquals(mode.valueAsString, 'off') });
    new ec2.CfnVolume(stack, 'ModeVolume', { availabilityZone: 'eu-west-1a', size: 1, encrypted: Fn.conditionIf(off.logicalId, false, true) as any });
    // The AMI a parent passes decides the root device (Ubuntu's is /dev/sda1, not mapped here).
    const amiStack = new NestedStack(stack, 'Ami', { parameters: { Ami: '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id' } });
    const ami = new CfnParameter(amiStack, 'Ami', { type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' });
    new ec2.CfnInstance(amiStack, 'Instance', { imageId: ami.valueAsString, blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: true, volumeSize: 8 } }] });
  });

  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('a value passed under another case is not the parameter\'s', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Cased/Volume')).toBe('non-compliant');
  });
  test('a dynamic reference is known only at deploy time', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/Dynamic/Volume')).toBe('non-compliant');
    expect(verdict(results, 'CEG-EBS-1', 'Stack/DynamicDefault/Volume')).toBe('non-compliant');
  });
  test('a NoEcho parameter stays a secret', () => {
    expect(verdict(results, 'CEG-SSM-2', 'Stack/Secretive/Plain')).not.toBe('pass');
  });
  test('AllowedValues of an SSM parameter type do not bound its value', () => {
    expect(verdict(results, 'CEG-EBS-1', 'Stack/ModeVolume')).toBe('non-compliant');
  });
  test('the AMI the parent passes decides the root device', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Stack/Ami/Instance')).toBe('non-compliant');
  });
});
