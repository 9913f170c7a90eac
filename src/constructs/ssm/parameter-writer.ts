import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ValueSource } from './secure-string-value';
import { grantOnPolicyKey } from '../kms/key-grants';
import { HandlerProvider } from '../providers/handler-provider';

/** The provider of every `SecureStringParameter` of a stack, and what its handler may do for one. */
export function providerFor(scope: Construct, arn: string, key: kms.IKey, source: ValueSource, keyGiven: boolean): string {
  const stack = Stack.of(scope);
  const provider = HandlerProvider.of(scope, {
    id: 'CegSecureStringParameterProvider',
    description: 'Writes the SecureString parameters of cdk-encryption-guard SecureStringParameter constructs',
    handlerDirectory: path.join(__dirname, 'handler'),
  });
  provider.role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:DeleteParameter'],
    resources: [arn],
  }));
  const actions = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'];
  const conditions = { StringEquals: { 'kms:ViaService': `ssm.${stack.region}.amazonaws.com`, 'kms:EncryptionContext:PARAMETER_ARN': arn } };
  if (keyGiven) {
    // A key passed in may not trust IAM (a CmkWithPolicy does not): its policy must name the handler
    // role, or PutParameter fails at deploy time.
    grantOnPolicyKey(key, provider.role, actions, conditions);
  } else {
    provider.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [key.keyArn], conditions }));
  }
  if (source.kind === 'secret') {
    source.secret!.grantRead(provider.role);
  }
  return provider.serviceToken;
}
