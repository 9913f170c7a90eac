import { CfnParameter, Fn } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { envStack, runAll, verdict } from './harness';
import { RuleService } from '../../src';

/** Defects found by the eighth red-team pass (newer services), each through the three front ends. */

describe('a replica key named by an ARN built around a multi-Region key\'s ID (CEG-DDB-2)', () => {
  const table = (scope: ReturnType<typeof envStack>, id: string, replicaKey: (key: kms.Key) => string) => {
    const key = new kms.Key(scope, `${id}Key`, { enableKeyRotation: true, multiRegion: true });
    new dynamodb.TableV2(scope, id, {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(key, { 'us-west-2': replicaKey(key) }),
      replicas: [{ region: 'us-west-2' }],
    });
  };
  const results = runAll(app => {
    const stack = envStack(app, 'Stack', 'us-east-1');
    // The replica key in us-west-2 shares the multi-Region key's ID: its ARN names us-west-2.
    table(stack, 'Replicated', key => `arn:aws:kms:us-west-2:${stack.account}:key/${key.keyId}`);
    // The same ID under the primary's Region names the primary, in another Region than the replica.
    table(stack, 'Primary', key => `arn:aws:kms:us-east-1:${stack.account}:key/${key.keyId}`);
    table(stack, 'Sub', key => Fn.sub('arn:aws:kms:us-west-2:${AWS::AccountId}:key/${Id}', { Id: key.keyId }));
  }, { services: [RuleService.DYNAMODB] });
  test('the Region in the ARN is the key\'s: us-west-2 passes, us-east-1 fails', () => {
    expect(verdict(results, 'CEG-DDB-2', 'Stack/Replicated/Resource')).toBe('pass');
    expect(verdict(results, 'CEG-DDB-2', 'Stack/Sub/Resource')).toBe('pass');
    expect(verdict(results, 'CEG-DDB-2', 'Stack/Primary/Resource')).toBe('non-compliant');
  });
});

describe('secrets in plain parameters that the name or value hides (CEG-SSM-2)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const env = new CfnParameter(stack, 'Env', { type: 'String' });
    // A name built around a deploy-time value: its literal words still say "password".
    new ssm.StringParameter(stack, 'PerEnvironment', { parameterName: `/app/${env.valueAsString}/db-password`, simpleName: false, stringValue: 'x' });
    new ssm.StringParameter(stack, 'PerEnvironmentPlain', { parameterName: `/app/${env.valueAsString}/table-name`, simpleName: false, stringValue: 'orders' });
    // A Cognito client secret, read by aws-cdk-lib's custom resource.
    const client = new cognito.UserPool(stack, 'Pool').addClient('Web', { generateSecret: true });
    new ssm.StringParameter(stack, 'ClientSecret', { parameterName: '/app/cognito/web', stringValue: client.userPoolClientSecret.unsafeUnwrap() });
    // A secret's ARN names a secret without holding it.
    new ssm.StringParameter(stack, 'SecretArn', {
      parameterName: '/app/db-secret-arn', stringValue: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf',
    });
  }, { services: [RuleService.SSM] });
  test('a name with a secret word around a deploy-time part: warning', () => {
    expect(verdict(results, 'CEG-SSM-2', 'Stack/PerEnvironment/Resource')).toBe('non-compliant');
    expect(verdict(results, 'CEG-SSM-2', 'Stack/PerEnvironmentPlain/Resource')).toBe('pass');
  });
  test('a custom resource\'s attribute named like a secret is one: warning', () => {
    expect(verdict(results, 'CEG-SSM-2', 'Stack/ClientSecret/Resource')).toBe('non-compliant');
  });
  test('a secret\'s ARN under a name ending in secret-arn: pass', () => {
    expect(verdict(results, 'CEG-SSM-2', 'Stack/SecretArn/Resource')).toBe('pass');
  });
});

describe('a parameter with one allowed value is that value (CEG-APIGW-1)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const domain = (id: string, securityPolicy: string) => new apigateway.CfnDomainName(stack, id, {
      domainName: `${id.toLowerCase()}.example.com`,
      regionalCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/x',
      endpointConfiguration: { types: ['REGIONAL'] },
      securityPolicy,
    });
    const policy = (id: string, allowedValues: string[]) => new CfnParameter(stack, `${id}Policy`, { type: 'String', allowedValues }).valueAsString;
    domain('Only', policy('Only', ['TLS_1_2']));
    domain('OnlyOld', policy('OnlyOld', ['TLS_1_0']));
    domain('Either', policy('Either', ['TLS_1_2', 'TLS_1_0']));
  }, { services: [RuleService.API_GATEWAY] });
  test('one allowed value decides; two leave it to the deployment', () => {
    expect(verdict(results, 'CEG-APIGW-1', 'Stack/Only')).toBe('pass');
    expect(verdict(results, 'CEG-APIGW-1', 'Stack/OnlyOld')).toBe('non-compliant');
    expect(verdict(results, 'CEG-APIGW-1', 'Stack/Either')).toBe('unresolvable');
  });
});
