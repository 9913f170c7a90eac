import { CfnCondition, CustomResource, Fn } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { crashes, envStack, runAll, verdict } from './harness';

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
