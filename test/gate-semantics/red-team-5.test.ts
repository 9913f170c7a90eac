import { CfnCondition, CfnParameter, CustomResource, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { crashes, envStack, runAll, verdict } from './harness';
import { EbsEncryptionByDefault, RuleService } from '../../src';
import { cdkNarrowsAcknowledgements } from '../support/cdk-features';

/** Defects found by the fifth red-team pass, each through the three front ends. */

describe('an API mapping that names an API of another kind is no mapping of a REST API (CEG-APIGW-2)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    const rest = new apigw.RestApi(stack, 'Rest');
    rest.root.addMethod('GET', new apigw.MockIntegration());
    const domain = new apigwv2.DomainName(stack, 'Domain', { domainName: 'h.example.com', certificate, securityPolicy: apigwv2.SecurityPolicy.TLS_1_2 });
    new apigwv2.HttpApi(stack, 'Http', { disableExecuteApiEndpoint: true, defaultDomainMapping: { domainName: domain } });
    // In another stack: a mapping whose API ID a custom resource returns may name its REST API.
    const other = envStack(app, 'Other');
    const api = new apigw.RestApi(other, 'Api');
    api.root.addMethod('GET', new apigw.MockIntegration());
    const lookup = new CustomResource(other, 'Lookup', { serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:find' });
    new apigwv2.CfnApiMapping(other, 'Opaque', { apiId: lookup.getAttString('ApiId'), domainName: 'h.example.com', stage: '$default' });
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('the REST API that no mapping names passes; the HTTP API that disables its endpoint passes', () => {
    expect(verdict(results, 'CEG-APIGW-2', 'Stack/Rest/Resource')).toBe('pass');
    expect(verdict(results, 'CEG-APIGW-2', 'Stack/Http/Resource')).toBe('pass');
  });
  test('a mapping whose API ID a custom resource returns may name every REST API of its stack: unresolvable', () => {
    expect(verdict(results, 'CEG-APIGW-2', 'Other/Api/Resource')).toBe('unresolvable');
  });
});

describe('an Fn::If between an HTTP API and a REST API still maps the REST API on one branch (CEG-APIGW-2)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    const rest = new apigw.RestApi(stack, 'Rest');
    rest.root.addMethod('GET', new apigw.MockIntegration());
    const http = new apigwv2.HttpApi(stack, 'Http', { disableExecuteApiEndpoint: true });
    const domain = new apigwv2.DomainName(stack, 'Domain', { domainName: 'h.example.com', certificate, securityPolicy: apigwv2.SecurityPolicy.TLS_1_2 });
    const useRest = new CfnCondition(stack, 'UseRest', { expression: Fn.conditionEquals(stack.region, 'eu-west-1') });
    new apigwv2.CfnApiMapping(stack, 'Mapping', {
      apiId: Fn.conditionIf(useRest.logicalId, rest.restApiId, http.apiId).toString(), domainName: domain.name, stage: '$default',
    });
  });
  test('the REST API, mapped on the branch that holds, keeps its default endpoint: non-compliant', () => {
    expect(verdict(results, 'CEG-APIGW-2', 'Stack/Rest/Resource')).toBe('non-compliant');
  });
});

describe('a secret\'s KmsKeyId taken from another resource (CEG-SM-1)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    // The parameter holds the AWS managed key's alias; the custom resource returns what it likes.
    const parameter = new ssm.CfnParameter(stack, 'KeyParam', { type: 'String', value: 'alias/aws/secretsmanager' });
    new secretsmanager.CfnSecret(stack, 'FromParameter', { kmsKeyId: parameter.attrValue });
    const lookup = new CustomResource(stack, 'Lookup', { serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:find' });
    new secretsmanager.CfnSecret(stack, 'FromCustomResource', { kmsKeyId: lookup.getAttString('KeyId') });
    new secretsmanager.Secret(stack, 'WithKey', { encryptionKey: new kms.Key(stack, 'Key') });
  });
  test('a key named by a parameter\'s value or a custom resource is unresolvable, never a pass', () => {
    expect(verdict(results, 'CEG-SM-1', 'Stack/FromParameter')).toBe('unresolvable');
    expect(verdict(results, 'CEG-SM-1', 'Stack/FromCustomResource')).toBe('unresolvable');
  });
  test('a key of the app passes', () => {
    expect(verdict(results, 'CEG-SM-1', 'Stack/WithKey/Resource')).toBe('pass');
  });
});

describe('parameter names with an acronym before the secret word (CEG-SSM-2)', () => {
  const names = ['DBPassword', 'SMTPPassword', 'JWTSecret', 'dbPassword', 'OAuthToken', 'KMSKeyArn'];
  const results = runAll(app => {
    const stack = envStack(app);
    for (const name of names) {
      new ssm.StringParameter(stack, name, { parameterName: `/app/${name}`, stringValue: 'x' });
    }
  });
  test.each(['DBPassword', 'SMTPPassword', 'JWTSecret', 'dbPassword', 'OAuthToken'])('/app/%s looks like a secret', name => {
    expect(verdict(results, 'CEG-SSM-2', `Stack/${name}/Resource`)).toBe('non-compliant');
  });
  test('/app/KMSKeyArn names a key\'s ARN, no secret', () => {
    expect(verdict(results, 'CEG-SSM-2', 'Stack/KMSKeyArn/Resource')).toBe('pass');
  });
});

describe('an acknowledgement narrowed with `where` matches no finding of the gate', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const narrowed = new s3.Bucket(stack, 'Narrowed');
    Validations.of(narrowed).acknowledge({ id: 'CEG-S3-1', reason: 'legacy prefix only', where: { prefix: 'legacy/' } });
    // A second, unnarrowed acknowledgement of the same rule covers every occurrence.
    const both = new s3.Bucket(stack, 'Both');
    Validations.of(both).acknowledge({ id: 'CEG-S3-1', reason: 'legacy prefix only', where: { prefix: 'legacy/' } });
    Validations.of(both).acknowledge({ id: 'CEG-S3-1', reason: 'accepted' });
    // An unnarrowed one on an ancestor still covers the bucket below a narrowed one.
    const scope = new Construct(stack, 'Scope');
    Validations.of(scope).acknowledge({ id: 'CEG-S3-1', reason: 'accepted here' });
    const inner = new s3.Bucket(scope, 'Inner');
    Validations.of(inner).acknowledge({ id: 'CEG-S3-1', reason: 'legacy prefix only', where: { prefix: 'legacy/' } });
    // In the plugin's namespace, which CDK applies to the plugin's violations whatever the filter.
    const plugin = new s3.Bucket(stack, 'PluginNamespace');
    Validations.of(plugin).acknowledge({ id: 'EncryptionChecks::CEG-S3-1', reason: 'legacy prefix only', where: { prefix: 'legacy/' } });
  });
  const narrows = cdkNarrowsAcknowledgements();
  test('narrowed alone: the finding stands (where CDK narrows; releases that ignore `where` acknowledge it all)', () => {
    if (process.env.CEG_EXPECT_CDK_VERSION === undefined) {
      expect(narrows).toBe(true);
    }
    expect(verdict(results, 'CEG-S3-1', 'Stack/Narrowed/Resource')).toBe(narrows ? 'non-compliant' : 'pass');
    expect(verdict(results, 'CEG-S3-1', 'Stack/PluginNamespace/Resource')).toBe(narrows ? 'non-compliant' : 'pass');
  });
  test('next to an unnarrowed acknowledgement, on the construct or an ancestor: acknowledged', () => {
    expect(verdict(results, 'CEG-S3-1', 'Stack/Both/Resource')).toBe('pass');
    expect(verdict(results, 'CEG-S3-1', 'Stack/Scope/Inner/Resource')).toBe('pass');
  });
});

describe('EbsEncryptionByDefault proves a root volume only when CloudFormation creates it first (CEG-EBS-3, CEG-EBS-4)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const setting = new EbsEncryptionByDefault(stack, 'EbsDefault', { allowAutoScaling: false });
    new ec2.CfnInstance(stack, 'Unordered', { imageId: 'ami-12345678', instanceType: 't3.micro' });
    new ec2.CfnInstance(stack, 'After', { imageId: 'ami-12345678', instanceType: 't3.micro' }).node.addDependency(setting);
    const template = new ec2.CfnLaunchTemplate(stack, 'Template', { launchTemplateData: { imageId: 'ami-12345678' } });
    const group = new autoscaling.CfnAutoScalingGroup(stack, 'Group', {
      minSize: '1',
      maxSize: '1',
      availabilityZones: ['eu-west-1a'],
      launchTemplate: { launchTemplateId: template.ref, version: template.attrLatestVersionNumber },
    });
    group.node.addDependency(setting);
    // Stacks of the same account and Region: with and without a stack dependency on the setting's.
    const later = envStack(app, 'Later');
    later.node.addDependency(stack);
    new ec2.CfnInstance(later, 'Instance', { imageId: 'ami-12345678', instanceType: 't3.micro' });
    const independent = envStack(app, 'Independent');
    new ec2.CfnInstance(independent, 'Instance', { imageId: 'ami-12345678', instanceType: 't3.micro' });
  }, { services: [RuleService.EBS] });
  test('no dependency either way: the first deployment may launch before the setting, non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Stack/Unordered')).toBe('non-compliant');
    expect(verdict(results, 'CEG-EBS-3', 'Independent/Instance')).toBe('non-compliant');
  });
  test('a resource or stack dependency on it: pass', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Stack/After')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-4', 'Stack/Group')).toBe('pass');
    expect(verdict(results, 'CEG-EBS-3', 'Later/Instance')).toBe('pass');
  });
});

describe('EFS replicas under requireCustomerManagedKeys (CEG-EFS-1)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new efs.FileSystem(stack, 'NoReplicaKey', { vpc, kmsKey: key, replicationConfiguration: efs.ReplicationConfiguration.regionalFileSystem('us-west-2') });
    const replicaKey = kms.Key.fromKeyArn(stack, 'ReplicaKey', 'arn:aws:kms:us-west-2:111111111111:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789');
    new efs.FileSystem(stack, 'ReplicaKeyed', { vpc, kmsKey: key, replicationConfiguration: efs.ReplicationConfiguration.regionalFileSystem('us-west-2', replicaKey) });
    const target = new efs.FileSystem(stack, 'Target', { vpc, kmsKey: key, replicationOverwriteProtection: efs.ReplicationOverwriteProtection.DISABLED });
    new efs.FileSystem(stack, 'IntoExisting', { vpc, kmsKey: key, replicationConfiguration: efs.ReplicationConfiguration.existingFileSystem(target) });
    new efs.CfnFileSystem(stack, 'IntoOutside', {
      encrypted: true, kmsKeyId: key.keyArn, replicationConfiguration: { destinations: [{ fileSystemId: 'fs-0123456789abcdef0', region: 'us-west-2' }] },
    });
  }, { services: [RuleService.EFS], requireCustomerManagedKeys: true });
  test('a new replica without a key uses aws/elasticfilesystem: non-compliant', () => {
    expect(verdict(results, 'CEG-EFS-1', 'Stack/NoReplicaKey/Resource')).toBe('non-compliant');
  });
  test('a replica with a key, or into a file system the app judges on its own: pass', () => {
    expect(verdict(results, 'CEG-EFS-1', 'Stack/ReplicaKeyed/Resource')).toBe('pass');
    expect(verdict(results, 'CEG-EFS-1', 'Stack/IntoExisting/Resource')).toBe('pass');
  });
  test('into a file system outside the app: unresolvable', () => {
    expect(verdict(results, 'CEG-EFS-1', 'Stack/IntoOutside')).toBe('unresolvable');
  });
});

describe('a read replica of a Multi-AZ DB cluster takes the cluster\'s encryption (CEG-RDS-2)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const cluster = (id: string, encrypted: boolean) => new rds.CfnDBCluster(stack, id, {
      engine: 'postgres',
      engineVersion: '16.4',
      dbClusterInstanceClass: 'db.m6gd.large',
      storageType: 'io1',
      allocatedStorage: 100,
      iops: 1000,
      masterUsername: 'dbadmin',
      manageMasterUserPassword: true,
      backupRetentionPeriod: 7,
      storageEncrypted: encrypted,
    });
    const replica = (id: string, source: rds.CfnDBCluster, storageEncrypted?: boolean) => new rds.CfnDBInstance(stack, id, {
      dbInstanceClass: 'db.m6gd.large', sourceDbClusterIdentifier: source.ref, storageEncrypted,
    });
    // StorageEncrypted on the replica decides nothing: its storage is a copy of the cluster's.
    replica('ReplicaOfPlain', cluster('Plain', false), true);
    replica('ReplicaOfEncrypted', cluster('Encrypted', true));
    new rds.CfnDBInstance(stack, 'ReplicaOfOutside', { dbInstanceClass: 'db.m6gd.large', sourceDbClusterIdentifier: 'arn:aws:rds:eu-west-1:222222222222:cluster:other', storageEncrypted: true });
  }, { services: [RuleService.RDS] });
  test('of an unencrypted cluster: non-compliant, whatever the replica declares', () => {
    expect(verdict(results, 'CEG-RDS-2', 'Stack/ReplicaOfPlain')).toBe('non-compliant');
  });
  test('of an encrypted cluster: pass; of a cluster outside the app: unresolvable', () => {
    expect(verdict(results, 'CEG-RDS-2', 'Stack/ReplicaOfEncrypted')).toBe('pass');
    expect(verdict(results, 'CEG-RDS-2', 'Stack/ReplicaOfOutside')).toBe('unresolvable');
  });
});

describe('a key policy of a stack without an account that names literal accounts (CEG-KMS-3)', () => {
  const policy = (condition: object) => ({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] } }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*', Condition: condition },
    ],
  });
  const results = runAll(app => {
    const agnostic = new Stack(app, 'Agnostic');
    // Locked out when deployed into 111111111111, which the template does not rule out.
    new kms.CfnKey(agnostic, 'DenyOneAccount', { enableKeyRotation: true, keyPolicy: policy({ StringEquals: { 'aws:PrincipalAccount': '111111111111' } }) });
    // Denies every account but 111111111111: in that one, the root keeps the key; elsewhere, locked out.
    new kms.CfnKey(agnostic, 'DenyOthers', { enableKeyRotation: true, keyPolicy: policy({ StringNotEquals: { 'aws:PrincipalAccount': '111111111111' } }) });
    // In a stack that names its account, the literal is known to be (or not be) the key's own.
    new kms.CfnKey(envStack(app), 'Named', { enableKeyRotation: true, keyPolicy: policy({ StringEquals: { 'aws:PrincipalAccount': '111111111111' } }) });
  }, { services: [RuleService.KMS] });
  test('the verdict depends on the account it is deployed into: unresolvable, never a pass', () => {
    expect(verdict(results, 'CEG-KMS-3', 'Agnostic/DenyOneAccount')).toBe('unresolvable');
    expect(verdict(results, 'CEG-KMS-3', 'Agnostic/DenyOthers')).toBe('unresolvable');
  });
  test('with the account named, the Deny on the key\'s own account locks it out', () => {
    expect(verdict(results, 'CEG-KMS-3', 'Stack/Named')).toBe('non-compliant');
  });
});

describe('a replica or a point-in-time restore, decided by a parameter (CEG-RDS-3)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const group = new rds.CfnDBParameterGroup(stack, 'Tls', { family: 'mysql8.0', description: 'tls', parameters: { require_secure_transport: '1' } });
    const source = new rds.CfnDBInstance(stack, 'Source', {
      engine: 'mysql', engineVersion: '8.0.39', dbInstanceClass: 'db.t4g.micro', storageEncrypted: true, dbParameterGroupName: group.ref,
    });
    const latest = new CfnParameter(stack, 'Latest', { type: 'String', allowedValues: ['true', 'false'] });
    new rds.CfnDBInstance(stack, 'Either', {
      dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: source.ref, useLatestRestorableTime: latest.valueAsString as unknown as boolean,
    });
    new rds.CfnDBInstance(stack, 'Replica', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: source.ref });
    new rds.CfnDBInstance(stack, 'Restore', { dbInstanceClass: 'db.t4g.micro', sourceDbInstanceIdentifier: source.ref, useLatestRestorableTime: true });
  }, { services: [RuleService.RDS] });
  test('a replica uses its source\'s group; a point-in-time restore the default one', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Stack/Replica')).toBe('pass');
    expect(verdict(results, 'CEG-RDS-3', 'Stack/Restore')).toBe('non-compliant');
  });
  test('UseLatestRestorableTime from a parameter: unresolvable, never a pass', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Stack/Either')).toBe('unresolvable');
  });
});
