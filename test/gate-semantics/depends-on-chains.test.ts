import { CfnResource, CfnWaitConditionHandle } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { envStack, runAll, verdict } from './harness';
import { EbsEncryptionByDefault, RuleService } from '../../src';

/**
 * A `DependsOn` written with an escape hatch replaces CDK's dependencies; CloudFormation follows
 * it like any other, through the resources it names.
 */

const instance = (scope: Construct) => new ec2.CfnInstance(scope, 'Instance', { imageId: 'ami-12345678', instanceType: 't3.micro' });
const settingResource = (setting: EbsEncryptionByDefault) => setting.resource.node.defaultChild as CfnResource;

describe('an escape-hatch DependsOn naming a resource that waits for the EbsEncryptionByDefault (CEG-EBS-3)', () => {
  const results = runAll(app => {
    // One setting per account and Region: each case in a Region of its own.
    const chained = envStack(app, 'Chained', 'eu-west-1');
    const middle = new CfnWaitConditionHandle(chained, 'Middle');
    middle.node.addDependency(new EbsEncryptionByDefault(chained, 'EbsDefault', { allowAutoScaling: false }));
    instance(chained).addOverride('DependsOn', chained.getLogicalId(middle));
    // Through a middle resource that itself names the setting with an escape hatch.
    const both = envStack(app, 'BothOverridden', 'eu-west-2');
    const setting = new EbsEncryptionByDefault(both, 'EbsDefault', { allowAutoScaling: false });
    const step = new CfnWaitConditionHandle(both, 'Middle');
    step.addOverride('DependsOn', [both.getLogicalId(settingResource(setting))]);
    instance(both).addOverride('DependsOn', [both.getLogicalId(step)]);
    // The middle resource does not wait for the setting: no order.
    const unordered = envStack(app, 'Unordered', 'eu-central-1');
    new EbsEncryptionByDefault(unordered, 'EbsDefault', { allowAutoScaling: false });
    instance(unordered).addOverride('DependsOn', [unordered.getLogicalId(new CfnWaitConditionHandle(unordered, 'Middle'))]);
    // A DependsOn naming no resource of the stack orders nothing.
    const unknown = envStack(app, 'UnknownName', 'us-east-1');
    new EbsEncryptionByDefault(unknown, 'EbsDefault', { allowAutoScaling: false });
    instance(unknown).addOverride('DependsOn', ['NotInTheStack']);
  }, { services: [RuleService.EBS] });
  test('a chain through the named resource orders the instance after the setting: pass', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Chained/Instance')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-3', 'BothOverridden/Instance')).toBe('pass');
  });
  test('a named resource that does not wait for the setting, or a name of no resource: non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Unordered/Instance')).toBe('non-compliant');
    expect(verdict(results, 'CEG-EBS-3', 'UnknownName/Instance')).toBe('non-compliant');
  });
});
