import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/** The ARN of a parameter of this stack's account and Region (`parameter/name` or `parameter/path/name`). */
export function parameterArn(stack: Stack, name: string): string {
  return stack.formatArn({
    service: 'ssm',
    resource: 'parameter',
    resourceName: Token.isUnresolved(name) ? name : name.replace(/^\//, ''),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The key policy of a key made here names no principal for use: the account's principals may use it
 * through Parameter Store only, as far as their IAM policies allow (what `grantRead` gives).
 */
export function allowUseThroughParameterStore(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowUseThroughParameterStore',
    principals: [new iam.AccountRootPrincipal()],
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: {
      StringEquals: {
        'kms:ViaService': `ssm.${stack.region}.amazonaws.com`,
        'kms:CallerAccount': stack.account,
      },
    },
  }));
}
