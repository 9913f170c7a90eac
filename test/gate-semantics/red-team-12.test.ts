import { CfnOutput, CfnResource, CfnWaitConditionHandle, Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { envStack, httpsListener, runAll, verdict } from './harness';
import { EbsEncryptionByDefault, RuleService } from '../../src';

/** Defects found by the twelfth red-team pass (on the eleventh pass's fixes), each through the three front ends. */

describe('a DependsOn escape hatch whose token deletes an entry (CEG-EBS-3)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const setting = new EbsEncryptionByDefault(stack, 'EbsDefault', { allowAutoScaling: false });
    const instance = new ec2.CfnInstance(stack, 'Instance', { imageId: 'ami-12345678', instanceType: 't3.micro' });
    instance.node.addDependency(setting.resource.node.defaultChild as CfnResource, new CfnWaitConditionHandle(stack, 'W'));
    // CDK resolves escape hatches keeping `undefined`, then deletes the setting's entry: DependsOn: [W].
    instance.addOverride('DependsOn', Lazy.any({ produce: () => ({ 0: undefined }) }));
  }, { services: [RuleService.EBS] });
  test('the instance may be created first: non-compliant', () => {
    expect(verdict(results, 'CEG-EBS-3', 'Stack/Instance')).toBe('non-compliant');
  });
});

describe('credentials in plain parameter values next to ARNs, and under compound keys (CEG-SSM-2)', () => {
  const secrets: Record<string, string> = {
    ConnectionString: 'Server=db;RoleArn=arn:aws:iam::111111111111:role/app;Password=hunter2',
    UrlQuery: 'https://api.example.com/?role=arn:aws:iam::111111111111:role/app&token=abc123',
    WarnWord: 'loglevel=warn:password=hunter2',
    AccessKeyAfterArn: 'arn:aws:s3:::bucket/AKIAIOSFODNN7EXAMPLE',
    JsonCamelCase: '{"host":"db","dbPassword":"hunter2"}',
    ClientSecret: '{"clientId":"abc","clientSecret":"s3cr3tv4lue"}',
    AwsSecretAccessKey: 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    PrivateKeyYaml: 'private_key: abcdef0123456789',
  };
  const plain: Record<string, string> = {
    SecretArnJson: '{"db":"arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf"}',
    TokenEndpoint: '{"tokenEndpoint":"https://auth.example.com/token","secretName":"db"}',
  };
  const results = runAll(app => {
    const stack = envStack(app);
    Object.entries({ ...secrets, ...plain }).forEach(([id, value], i) => new ssm.CfnParameter(stack, id, { type: 'String', name: `/app/config/p${i}`, value }));
  }, { services: [RuleService.SSM] });
  test.each(Object.keys(secrets))('%s: warning', id => {
    expect(verdict(results, 'CEG-SSM-2', `Stack/${id}`)).toBe('non-compliant');
  });
  test.each(Object.keys(plain))('%s: pass', id => {
    expect(verdict(results, 'CEG-SSM-2', `Stack/${id}`)).toBe('pass');
  });
});

describe('a listener certificate imported from an export that is not a certificate resource (CEG-ELB-3)', () => {
  const results = runAll(app => {
    const exported = (id: string, value: (stack: Stack) => string) => {
      const certificates = envStack(app, `${id}Certificates`);
      new CfnOutput(certificates, 'Arn', { value: value(certificates), exportName: `${id.toLowerCase()}-certificate` });
      const web = envStack(app, id);
      httpsListener(web, Fn.importValue(`${id.toLowerCase()}-certificate`));
    };
    exported('Literal', () => 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    exported('Formatted', stack => stack.formatArn({ service: 'acm', resource: 'certificate', resourceName: 'abc' }));
    exported('Iam', () => 'arn:aws:iam::111111111111:server-certificate/legacy');
    exported('Imported', stack => acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:eu-west-1:111111111111:certificate/def').certificateArn);
  }, { services: [RuleService.ELB] });
  test('the exported value is judged as if written in place', () => {
    expect(verdict(results, 'CEG-ELB-3', 'Literal/Listener')).toBe('pass');
    expect(verdict(results, 'CEG-ELB-3', 'Formatted/Listener')).toBe('pass');
    expect(verdict(results, 'CEG-ELB-3', 'Imported/Listener')).toBe('pass');
    expect(verdict(results, 'CEG-ELB-3', 'Iam/Listener')).toBe('non-compliant');
  });
});
