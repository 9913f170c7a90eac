import { CfnOutput, CfnResource, CfnWaitConditionHandle, Fn, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elb from 'aws-cdk-lib/aws-elasticloadbalancing';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { envStack, httpsListener, runAll, verdict } from './harness';
import { EbsEncryptionByDefault, RuleService } from '../../src';

/** Defects found by the tenth red-team pass (on the eighth and ninth passes' fixes), each through the three front ends. */

describe('an import in a stack whose environment differs from the exporter\'s (CEG-RDS-3)', () => {
  const results = runAll(app => {
    const pinned = envStack(app, 'Pinned', 'us-east-1');
    const group = new rds.CfnDBParameterGroup(pinned, 'Tls', { family: 'mysql8.0', description: 'TLS', parameters: { require_secure_transport: 'ON' } });
    new CfnOutput(pinned, 'Group', { value: group.ref, exportName: 'pinned-tls' });
    const agnostic = new Stack(app, 'Agnostic');
    const shared = new rds.CfnDBParameterGroup(agnostic, 'Tls', { family: 'mysql8.0', description: 'TLS', parameters: { require_secure_transport: 'ON' } });
    new CfnOutput(agnostic, 'Group', { value: shared.ref, exportName: 'agnostic-tls' });
    const importer = new Stack(app, 'Importer');
    const db = (id: string, exportName: string) => new rds.CfnDBInstance(importer, id, {
      engine: 'mysql',
      engineVersion: '8.0.39',
      dbInstanceClass: 'db.t4g.micro',
      allocatedStorage: '20',
      storageEncrypted: true,
      dbParameterGroupName: Fn.importValue(exportName),
    });
    db('FromPinned', 'pinned-tls');
    db('FromAgnostic', 'agnostic-tls');
  }, { services: [RuleService.RDS] });
  test('deployed anywhere, the importer may read another export of that name: unresolvable', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Importer/FromPinned')).toBe('unresolvable');
  });
  test('two stacks that both leave the environment to the deployment: followed, as CDK assumes', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Importer/FromAgnostic')).toBe('pass');
  });
});

describe('certificate ARNs built with formatArn (CEG-ELB-3)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const acmArn = stack.formatArn({ service: 'acm', resource: 'certificate', resourceName: '0f0e-1234' });
    const iam = stack.formatArn({ service: 'iam', region: '', resource: 'server-certificate', resourceName: 'old' });
    const classic = (id: string, sslCertificateId: string) => new elb.CfnLoadBalancer(stack, id, {
      availabilityZones: ['eu-west-1a'], listeners: [{ loadBalancerPort: '443', instancePort: '80', protocol: 'HTTPS', sslCertificateId }],
    });
    classic('ClassicAcm', acmArn);
    classic('ClassicIam', iam);
    httpsListener(stack, acmArn);
  }, { services: [RuleService.ELB] });
  test('the service in the ARN says ACM or IAM: pass, fail', () => {
    expect(verdict(results, 'CEG-ELB-3', 'Stack/ClassicAcm')).toBe('pass');
    expect(verdict(results, 'CEG-ELB-3', 'Stack/Listener')).toBe('pass');
    expect(verdict(results, 'CEG-ELB-3', 'Stack/ClassicIam')).toBe('non-compliant');
  });
});

describe('a listener certificate imported from an export of the app (CEG-ELB-3, eleventh pass)', () => {
  const results = runAll(app => {
    const certificates = envStack(app, 'Certificates');
    const certificate = new acm.Certificate(certificates, 'Certificate', { domainName: 'shop.example.com' });
    new CfnOutput(certificates, 'Arn', { value: certificate.certificateArn, exportName: 'shop-certificate' });
    const web = envStack(app, 'Web');
    httpsListener(web, Fn.importValue('shop-certificate'));
  }, { services: [RuleService.ELB] });
  test('the export is an ACM certificate in the same environment: pass', () => {
    expect(verdict(results, 'CEG-ELB-3', 'Web/Listener')).toBe('pass');
  });
});

describe('SSL negotiation policy attributes written as booleans (CEG-ELB-4)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const balancer = new elb.CfnLoadBalancer(stack, 'Classic', {
      availabilityZones: ['eu-west-1a'],
      listeners: [{ loadBalancerPort: '443', instancePort: '80', protocol: 'HTTPS', sslCertificateId: 'arn:aws:acm:eu-west-1:111111111111:certificate/x', policyNames: ['P'] }],
    });
    // An unquoted YAML `false`: CloudFormation passes it on as its text.
    balancer.addPropertyOverride('Policies', [{
      PolicyName: 'P',
      PolicyType: 'SSLNegotiationPolicyType',
      Attributes: [['Protocol-SSLv3', false], ['Protocol-TLSv1', false], ['Protocol-TLSv1.1', false], ['Protocol-TLSv1.2', true]].map(([Name, Value]) => ({ Name, Value })),
    }]);
  }, { services: [RuleService.ELB] });
  test('read as text: pass', () => {
    expect(verdict(results, 'CEG-ELB-4', 'Stack/Classic')).toBe('pass');
  });
});

describe('plain parameters: custom resource values, Vault secret IDs, assignments after a colon, run-together plurals (CEG-SSM-2)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const read = new cr.AwsCustomResource(stack, 'Read', {
      onUpdate: {
        service: 'SSM', action: 'getParameter', parameters: { Name: '/shared/vpc-id' }, region: 'us-east-1', physicalResourceId: cr.PhysicalResourceId.of('x'),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    new ssm.StringParameter(stack, 'Generated', { stringValue: read.getResponseField('Parameter.Value') });
    new ssm.StringParameter(stack, 'VaultSecretId', { parameterName: '/app/vault/approle/secret-id', stringValue: 'x' });
    new ssm.StringParameter(stack, 'Redis', { parameterName: '/app/redis', stringValue: 'redis:token=s3cr3tvalue' });
    new ssm.StringParameter(stack, 'MaxTokens', { parameterName: '/app/llm/maxtokens', stringValue: '4096' });
    // Eleventh pass: JSON keys, an ARN inside a longer value, an assignment on a later line, ordinary names.
    const value = (id: string, stringValue: string) => new ssm.StringParameter(stack, id, { parameterName: `/app/${id.toLowerCase()}`, stringValue });
    value('JsonCredentials', '{"username":"admin","password":"hunter2"}');
    value('ArnInJson', '{"db":"arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf"}');
    value('ArnAssigned', 'DB_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf');
    value('LaterLine', 'arn:aws:s3:::bucket\npassword=hunter2');
    for (const name of ['token-endpoint', 'max-tokens', 'public-key']) {
      new ssm.StringParameter(stack, name, { parameterName: `/app/${name}`, stringValue: 'x' });
    }
  }, { services: [RuleService.SSM] });
  test('credentials in JSON or on a later line: warning; an ARN in a longer value: pass (eleventh pass)', () => {
    expect(verdict(results, 'CEG-SSM-2', 'Stack/JsonCredentials/Resource')).toBe('non-compliant');
    expect(verdict(results, 'CEG-SSM-2', 'Stack/LaterLine/Resource')).toBe('non-compliant');
    expect(verdict(results, 'CEG-SSM-2', 'Stack/ArnInJson/Resource')).toBe('pass');
    expect(verdict(results, 'CEG-SSM-2', 'Stack/ArnAssigned/Resource')).toBe('pass');
  });
  test('token-endpoint, max-tokens, public-key: pass', () => {
    for (const name of ['token-endpoint', 'max-tokens', 'public-key']) {
      expect(verdict(results, 'CEG-SSM-2', `Stack/${name}/Resource`)).toBe('pass');
    }
  });
  test('a custom resource attribute not named like a secret, under a generated name: pass', () => {
    expect(verdict(results, 'CEG-SSM-2', 'Stack/Generated/Resource')).toBe('pass');
  });
  test('secret-id and an assignment after a colon: warning; maxtokens: pass', () => {
    expect(verdict(results, 'CEG-SSM-2', 'Stack/VaultSecretId/Resource')).toBe('non-compliant');
    expect(verdict(results, 'CEG-SSM-2', 'Stack/Redis/Resource')).toBe('non-compliant');
    expect(verdict(results, 'CEG-SSM-2', 'Stack/MaxTokens/Resource')).toBe('pass');
  });
});

describe('a DependsOn escape hatch on one index merges into CDK\'s list (CEG-EBS-3)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const setting = new EbsEncryptionByDefault(stack, 'EbsDefault', { allowAutoScaling: false });
    const wait = new CfnWaitConditionHandle(stack, 'W');
    const instance = new ec2.CfnInstance(stack, 'Instance', { imageId: 'ami-12345678', instanceType: 't3.micro' });
    instance.node.addDependency(setting.resource.node.defaultChild as CfnResource);
    // Renders DependsOn: [<setting>, W]: the dependency on the setting stays.
    instance.addOverride('DependsOn.1', stack.resolve(wait.logicalId));
  }, { services: [RuleService.EBS] });
  test('the instance still waits for the setting: pass', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Stack/Instance')).toBe('pass');
  });
});

describe('a deletion override of one DependsOn entry removes it (CEG-EBS-3, eleventh pass)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const setting = new EbsEncryptionByDefault(stack, 'EbsDefault', { allowAutoScaling: false });
    const wait = new CfnWaitConditionHandle(stack, 'W');
    const instance = new ec2.CfnInstance(stack, 'Instance', { imageId: 'ami-12345678', instanceType: 't3.micro' });
    instance.node.addDependency(setting.resource.node.defaultChild as CfnResource, wait);
    // CDK renders DependsOn: [W]: nothing orders the instance after the setting.
    instance.addDeletionOverride('DependsOn.0');
  }, { services: [RuleService.EBS] });
  test('the instance may be created first: non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Stack/Instance')).toBe('non-compliant');
  });
});

describe('MySQL 9.7 forces TLS in its default parameter group (CEG-RDS-3)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const db = (id: string, engineVersion: string) => new rds.CfnDBInstance(stack, id, {
      engine: 'mysql', engineVersion, dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', storageEncrypted: true,
    });
    db('Mysql97', '9.7.0');
    db('Mysql84', '8.4.3');
  }, { services: [RuleService.RDS] });
  test('9.7 passes with the default group; 8.4 does not', () => {
    expect(verdict(results, 'CEG-RDS-3', 'Stack/Mysql97')).toBe('pass');
    expect(verdict(results, 'CEG-RDS-3', 'Stack/Mysql84')).toBe('non-compliant');
  });
});
