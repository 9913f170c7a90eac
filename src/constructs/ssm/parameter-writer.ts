import * as path from 'path';
import { ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ValueSource } from './secure-string-value';
import { installedCdkVersion, isBelow } from '../../private/cdk-version';
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
  // After a change of key, an update reads the value under the key it was written with, which the
  // statements above no longer name: every key of the account, for this parameter's value only, via SSM.
  provider.role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['kms:Decrypt'],
    resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
    conditions,
  }));
  acknowledgeReadBeforeKeyChange(provider.role, stack);
  if (source.kind === 'secret') {
    source.secret!.grantRead(provider.role);
  }
  return provider.serviceToken;
}

/** cdk-nag's IAM5 finding on that read of any key: what limits it is in its conditions. */
function acknowledgeReadBeforeKeyChange(role: iam.IRole, stack: Stack): void {
  // aws-cdk-lib before 2.276 refuses a finding ID holding '::' past its prefix (as in <AWS::Partition>):
  // there the finding stays for the user to acknowledge (README). Asked by version, not by catching the
  // refusal: the `cdk` CLI records every CDK error made, caught or not.
  const version = installedCdkVersion();
  if (version === undefined || isBelow(version, '2.276.0')) {
    return;
  }
  const shown = (value: string, pseudo: string) => Token.isUnresolved(value) ? `<${pseudo}>` : value;
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${shown(stack.region, 'AWS::Region')}:${shown(stack.account, 'AWS::AccountId')}:key/*]`,
    reason: 'Decrypting through SSM only the value of this construct\'s parameter (kms:ViaService, kms:EncryptionContext:PARAMETER_ARN), '
      + 'under the key it was written with before a change of key, which the policy no longer names.',
  });
}
