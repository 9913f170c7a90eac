import { App, AppProps, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { EncryptionGate, EncryptionGateOptions, Finding } from '../../src';

export const ACCOUNT = '111111111111';

/** An app without CDK's built-in CloudFormation validator: unit tests do not need its start-up. */
export function newApp(props: AppProps = {}): App {
  return new App({ builtinCloudFormationValidation: false, ...props });
}

export function newStack(scope: Construct, id = 'Stack', region = 'eu-west-1', props: StackProps = {}): Stack {
  return new Stack(scope, id, { env: { account: ACCOUNT, region }, ...props });
}

/** A VPC without NAT gateways (cheap to synthesize), with isolated subnets for databases. */
export function isolatedVpc(scope: Construct): ec2.Vpc {
  return new ec2.Vpc(scope, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

/**
 * The gate's findings on a finished app: synthesizes first (so Aspects of CDK's own L2s and
 * cross-stack references are done), then evaluates.
 */
export function findingsAfterSynth(scope: Construct, options: EncryptionGateOptions = {}): Finding[] {
  (scope.node.root as App).synth();
  return EncryptionGate.evaluate(scope, options);
}

/** Findings of one rule on the L1 at `path` (relative to the app). */
export function findingsOn(findings: Finding[], path: string, ruleId?: string): Finding[] {
  return findings.filter(f => f.constructPath === path && (ruleId === undefined || f.ruleId === ruleId));
}

/** The single finding of `ruleId` on the L1 at `path`, or `undefined` when it passes. */
export function verdictOn(findings: Finding[], path: string, ruleId: string): Finding | undefined {
  const matches = findingsOn(findings, path, ruleId);
  if (matches.length > 1) {
    throw new Error(`Expected at most one ${ruleId} finding on ${path}, got ${matches.length}`);
  }
  return matches[0];
}

/**
 * Whether the aws-cdk-lib in use renders `manageMasterUserPassword` on `rds.DatabaseInstance`
 * (older releases, such as the CI floor job's, ignore it; `EncryptedRdsInstance` refuses it there).
 */
export function rdsManagesPasswords(): boolean {
  const stack = newStack(newApp(), 'Probe');
  const instance = new rds.DatabaseInstance(stack, 'Probe', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc: isolatedVpc(stack),
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    manageMasterUserPassword: true,
  } as rds.DatabaseInstanceProps);
  return (instance.node.defaultChild as rds.CfnDBInstance).manageMasterUserPassword === true;
}
