import { App, CfnCondition, CfnOutput, CfnParameter, Fn, Stack, Stage } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { envStack, runAll, verdict } from './harness';
import { EncryptionGate, RuleService } from '../../src';

/** Defects found by the thirteenth red-team pass (on the twelfth pass's fixes), each through the three front ends. */

/** An HTTP listener that only redirects, in `stack`. */
function httpListener(stack: Stack): elbv2.CfnListener {
  const alb = new elbv2.CfnLoadBalancer(stack, 'Alb', { subnets: ['subnet-1', 'subnet-2'] });
  return new elbv2.CfnListener(stack, 'Http', {
    loadBalancerArn: alb.ref,
    port: 80,
    protocol: 'HTTP',
    defaultActions: [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
  });
}

/** A listener rule that answers over HTTP, on the listener the value names. */
function servingRule(stack: Stack, listenerArn: string): void {
  new elbv2.CfnListenerRule(stack, 'Rule', {
    listenerArn, priority: 1, conditions: [{ field: 'path-pattern', values: ['/*'] }], actions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } }],
  });
}

/** A listener exported from one stack, a rule on it imported into another. */
class Web extends Stage {
  constructor(scope: App, id: string) {
    super(scope, id);
    const a = new Stack(this, 'A');
    new CfnOutput(a, 'Listener', { value: httpListener(a).ref, exportName: 'web-listener' });
    servingRule(new Stack(this, 'B'), Fn.importValue('web-listener'));
  }
}

describe('a referrer that imports an export of another stack, whose target is not known (CEG-ELB-1, CEG-SM-2)', () => {
  const twice = runAll(app => {
    // The same Stage twice, without an environment: which export the import reads, the deployment decides.
    new Web(app, 'Blue');
    new Web(app, 'Green');
  }, { services: [RuleService.ELB] });
  const conditional = runAll(app => {
    // The export chooses the listener with a condition.
    const a = envStack(app, 'A');
    const listener = httpListener(a);
    const isProd = new CfnCondition(a, 'IsProd', { expression: Fn.conditionEquals(new CfnParameter(a, 'Env').valueAsString, 'prod') });
    new CfnOutput(a, 'Listener', {
      value: Fn.conditionIf(isProd.logicalId, listener.ref, 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/other/1/2').toString(), exportName: 'listener',
    });
    servingRule(envStack(app, 'B'), Fn.importValue('listener'));
  }, { services: [RuleService.ELB] });
  const secrets = runAll(app => {
    for (const id of ['Blue', 'Green']) {
      const stage = new Stage(app, id);
      const a = new Stack(stage, 'A');
      const secret = new secretsmanager.CfnSecret(a, 'Secret', { kmsKeyId: new kms.Key(a, 'Key', { enableKeyRotation: true }).keyArn, generateSecretString: {} });
      new CfnOutput(a, 'Arn', { value: secret.ref, exportName: 'secret' });
      new secretsmanager.CfnRotationSchedule(new Stack(stage, 'B'), 'Rotation', {
        secretId: Fn.importValue('secret'), rotationLambdaArn: 'arn:aws:lambda:eu-west-1:111111111111:function:rotate', rotationRules: { automaticallyAfterDays: 30 },
      });
    }
  }, { services: [RuleService.SECRETS_MANAGER] });
  test('the rule may be on the listener: never a pass', () => {
    expect(verdict(twice, 'CEG-ELB-1', 'Blue/A/Http')).toBe('unresolvable');
    expect(verdict(twice, 'CEG-ELB-1', 'Green/A/Http')).toBe('unresolvable');
    expect(verdict(conditional, 'CEG-ELB-1', 'A/Http')).toBe('non-compliant');
  });
  test('the schedule may target the secret: unresolvable, not "no schedule"', () => {
    expect(verdict(secrets, 'CEG-SM-2', 'Blue/A/Secret')).toBe('unresolvable');
    expect(verdict(secrets, 'CEG-SM-2', 'Green/A/Secret')).toBe('unresolvable');
  });
});

describe('a plain parameter value longer than Parameter Store takes (CEG-SSM-2)', () => {
  test('judged on its first 8 KB, quickly (CloudFormation refuses the rest)', () => {
    const stack = envStack(new App());
    new ssm.CfnParameter(stack, 'Early', { type: 'String', name: '/app/early', value: `password=hunter2 ${'a.'.repeat(100_000)}` });
    new ssm.CfnParameter(stack, 'Late', { type: 'String', name: '/app/late', value: `${'a.'.repeat(100_000)} password=hunter2` });
    const start = Date.now();
    const findings = EncryptionGate.evaluate(stack, { services: [RuleService.SSM] });
    expect(Date.now() - start).toBeLessThan(3_000);
    expect(findings.map(f => `${f.ruleId} ${f.constructPath}`)).toEqual(['CEG-SSM-2 Stack/Early']);
  });
});
