import { App, Aspects, Aws, CfnCondition, CfnOutput, CfnParameter, Fn, Stack, Stage } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ACCOUNT, envStack, newApp, runAll, verdict } from './harness';
import { EncryptionGate, EnforceEncryption } from '../../src';

/** Defects found by the twenty-seventh red-team pass (on the reading of imports and names), each through the three front ends. */

const rotatingKey = (stack: Stack, id = 'Key') => new kms.Key(stack, id, { enableKeyRotation: true }).keyArn;

describe('list exports (Stack.exportStringListValue) read with Fn::Select and Fn::Split', () => {
  const results = runAll(app => {
    const keys = envStack(app, 'Keys');
    keys.exportStringListValue(['alias/aws/secretsmanager', rotatingKey(keys)], { name: 'keys' });
    const data = envStack(app, 'Data');
    new secretsmanager.CfnSecret(data, 'Managed', { kmsKeyId: Fn.select(0, Fn.split('||', Fn.importValue('keys'))), generateSecretString: {} });
    new secretsmanager.CfnSecret(data, 'Customer', { kmsKeyId: Fn.select(1, Fn.split('||', Fn.importValue('keys'))), generateSecretString: {} });
  }, { ruleIds: ['CEG-SM-1'] });
  test('the element selected decides: the AWS managed alias fails, the key passes', () => {
    expect(verdict(results, 'CEG-SM-1', 'Data/Managed')).toBe('non-compliant');
    expect(verdict(results, 'CEG-SM-1', 'Data/Customer')).toBe('pass');
  });

  const around = runAll(app => {
    const stack = envStack(app, 'Data');
    // A key reference somewhere in a value that may select something else names no key for sure.
    new secretsmanager.CfnSecret(stack, 'Secret', {
      kmsKeyId: Fn.select(0, Fn.split(',', Fn.join(',', [new CfnParameter(stack, 'Keys').valueAsString, rotatingKey(stack)]))),
      generateSecretString: {},
    });
  }, { ruleIds: ['CEG-SM-1'] });
  test('a key reference that is not the value itself names no key: unresolvable', () => {
    expect(verdict(around, 'CEG-SM-1', 'Data/Secret')).toBe('unresolvable');
  });
});

describe('a name that surely names one resource and may name another', () => {
  const source = (stack: Stack, encrypted: boolean) => new rds.CfnDBInstance(stack, 'Source', {
    dbInstanceIdentifier: 'orders',
    engine: 'postgres',
    dbInstanceClass: 'db.t4g.micro',
    allocatedStorage: '20',
    storageEncrypted: encrypted,
    masterUsername: 'admin_user',
    manageMasterUserPassword: true,
  });
  const template = (stack: Stack, encrypted: boolean) => new ec2.CfnLaunchTemplate(stack, 'Template', {
    launchTemplateName: 'web', launchTemplateData: { imageId: 'ami-12345678', blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 20, encrypted } }] },
  });
  const results = runAll(app => {
    const base = envStack(app, 'Base');
    const shared = new Stack(app, 'Shared');
    source(base, true);
    source(shared, false);
    template(base, true);
    template(shared, false);
    const prod = envStack(app, 'Prod');
    new rds.CfnDBInstance(prod, 'Replica', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: 'orders' });
    new autoscaling.CfnAutoScalingGroup(prod, 'Fleet', {
      maxSize: '1', minSize: '0', availabilityZones: ['eu-west-1a'], launchTemplate: { launchTemplateName: 'web', version: '$Latest' },
    });
  }, { ruleIds: ['CEG-RDS-2', 'CEG-EBS-4'] });
  test('the deployment decides which (an environment-agnostic stack may hold the other): unresolvable', () => {
    expect(verdict(results, 'CEG-RDS-2', 'Prod/Replica')).toBe('unresolvable');
    expect(verdict(results, 'CEG-EBS-4', 'Prod/Fleet')).toBe('unresolvable');
  });

  const twice = runAll(app => {
    for (const id of ['One', 'Two']) {
      new secretsmanager.CfnSecret(envStack(app, id), 'Secret', { name: 'app/db', kmsKeyId: rotatingKey(app.node.findChild(id) as Stack), generateSecretString: {} });
    }
    new secretsmanager.CfnRotationSchedule(envStack(app, 'Ops'), 'Rotation', {
      secretId: 'app/db', hostedRotationLambda: { rotationType: 'MySQLSingleUser' }, rotationRules: { automaticallyAfterDays: 30 },
    });
  }, { ruleIds: ['CEG-SM-2'] });
  test('two secrets of one name in one environment: a schedule naming it may rotate either, so unresolvable, not "no schedule"', () => {
    expect(verdict(twice, 'CEG-SM-2', 'One/Secret')).toBe('unresolvable');
    expect(verdict(twice, 'CEG-SM-2', 'Two/Secret')).toBe('unresolvable');
  });
});

describe('imports seen from an Aspect on a Stage', () => {
  test('a stack outside the Stage exporting the same name makes the import unresolvable, as for the other front ends', () => {
    const app = newApp();
    const prod = new Stage(app, 'Prod', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const keys = new Stack(prod, 'Keys');
    new CfnOutput(keys, 'KeyArn', { value: rotatingKey(keys), exportName: 'shared-key' });
    new secretsmanager.CfnSecret(new Stack(prod, 'Data'), 'Secret', { kmsKeyId: Fn.importValue('shared-key'), generateSecretString: {} });
    new CfnOutput(new Stack(app, 'Legacy'), 'Key', { value: 'alias/aws/secretsmanager', exportName: 'shared-key' });
    Aspects.of(prod).add(new EnforceEncryption({ ruleIds: ['CEG-SM-1'] }));
    expect(() => app.synth()).toThrow(/CEG-SM-1[\s\S]*Fn::ImportValue "shared-key"/);
  });
});

describe('referrers that reach their target through a re-export', () => {
  const results = runAll(app => {
    const a = envStack(app, 'A');
    const alb = new elbv2.CfnLoadBalancer(a, 'Alb', { subnets: ['subnet-1', 'subnet-2'] });
    const http = new elbv2.CfnListener(a, 'Http', {
      loadBalancerArn: alb.ref, port: 80, protocol: 'HTTP', defaultActions: [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });
    new CfnOutput(a, 'Listener', { value: http.ref, exportName: 'http-listener' });
    const facade = envStack(app, 'Facade');
    new CfnOutput(facade, 'Listener', { value: Fn.importValue('http-listener'), exportName: 'shared-listener' });
    const c = envStack(app, 'C');
    const shared = new CfnCondition(c, 'UseShared', { expression: Fn.conditionEquals(new CfnParameter(c, 'Mode').valueAsString, 'shared') });
    new elbv2.CfnListenerRule(c, 'Rule', {
      listenerArn: Fn.conditionIf(shared.logicalId, Fn.importValue('shared-listener'), 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/x/1/2').toString(),
      priority: 1,
      conditions: [{ field: 'path-pattern', values: ['/*'] }],
      actions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } }],
    });
  }, { ruleIds: ['CEG-ELB-1'] });
  test('a rule that serves on the HTTP listener when a condition holds is found through the facade\'s re-export', () => {
    expect(verdict(results, 'CEG-ELB-1', 'A/Http')).toBe('non-compliant');
  });
});

describe('an export of the exporting stack\'s own value', () => {
  const results = runAll(app => {
    const a = envStack(app, 'A');
    new CfnOutput(a, 'Exported', { value: new CfnParameter(a, 'Group').valueAsString, exportName: 'pg' });
    const b = envStack(app, 'B');
    // Same logical ID as A's parameter: it is not what the import reads.
    new rds.CfnDBParameterGroup(b, 'Group', { family: 'postgres14', description: 'TLS', parameters: { 'rds.force_ssl': '1' } });
    new rds.CfnDBInstance(b, 'Db', {
      engine: 'postgres',
      engineVersion: '14.12',
      dbInstanceClass: 'db.t4g.micro',
      allocatedStorage: '20',
      storageEncrypted: true,
      dbParameterGroupName: Fn.importValue('pg'),
      masterUsername: 'admin_user',
      manageMasterUserPassword: true,
    });
  }, { ruleIds: ['CEG-RDS-3'] });
  test('is never looked up among the importing stack\'s resources: unresolvable', () => {
    expect(verdict(results, 'CEG-RDS-3', 'B/Db')).toBe('unresolvable');
  });
});

describe('conditions of the exporting stack', () => {
  const region = runAll(app => {
    // Two environment-agnostic stacks are taken to be in one Region: their tests of the Region agree.
    const keys = new Stack(app, 'Keys');
    const eu = new CfnCondition(keys, 'IsEu', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    new CfnOutput(keys, 'KeyArn', { value: Fn.conditionIf(eu.logicalId, rotatingKey(keys), 'alias/aws/secretsmanager').toString(), exportName: 'regional-key' });
    const data = new Stack(app, 'Data');
    const here = new CfnCondition(data, 'IsEu', { expression: Fn.conditionEquals(Aws.REGION, 'eu-west-1') });
    new secretsmanager.CfnSecret(data, 'Secret', { kmsKeyId: Fn.conditionIf(here.logicalId, Fn.importValue('regional-key'), rotatingKey(data)).toString(), generateSecretString: {} });
  }, { ruleIds: ['CEG-SM-1'] });
  test('a condition on the Region in both stacks is one decision', () => {
    expect(verdict(region, 'CEG-SM-1', 'Data/Secret')).toBe('pass');
  });

  const conditioned = runAll(app => {
    const keys = envStack(app, 'Keys');
    const own = new CfnCondition(keys, 'Own', { expression: Fn.conditionEquals(new CfnParameter(keys, 'Mode').valueAsString, 'own') });
    new CfnOutput(keys, 'KeyArn', {
      value: Fn.conditionIf(own.logicalId, rotatingKey(keys), 'alias/aws/secretsmanager').toString(), exportName: 'own-key', condition: own,
    });
    new secretsmanager.CfnSecret(envStack(app, 'Data'), 'Secret', { kmsKeyId: Fn.importValue('own-key'), generateSecretString: {} });
  }, { ruleIds: ['CEG-SM-1'] });
  test('where the output\'s own condition is false there is no export (the importer cannot deploy): no verdict there', () => {
    expect(verdict(conditioned, 'CEG-SM-1', 'Data/Secret')).toBe('pass');
  });

  test('exports that re-read other exports are read once (no blow-up with fan-out)', () => {
    const app = new App();
    let previous: string | undefined;
    for (let level = 0; level < 7; level++) {
      const stack = envStack(app, `Level${level}`);
      const value = previous === undefined ? rotatingKey(stack) : Fn.join('', Array.from({ length: 6 }, () => Fn.importValue(previous!)));
      new CfnOutput(stack, 'Out', { value, exportName: `level-${level}` });
      previous = `level-${level}`;
    }
    const data = envStack(app, 'Data');
    for (let i = 0; i < 5; i++) {
      new secretsmanager.CfnSecret(data, `Secret${i}`, { kmsKeyId: Fn.importValue(previous!), generateSecretString: {} });
    }
    const started = Date.now();
    EncryptionGate.evaluate(app, { ruleIds: ['CEG-SM-1'] });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
