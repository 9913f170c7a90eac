import * as path from 'path';
import { CustomResource, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { isAwsManagedKey } from '../../aws/managed-keys';
import { assertCdkVersion } from '../../private/cdk-version';
import { validationError } from '../../private/errors';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { USE_ACTIONS } from '../kms/key-policy';
import { HandlerProvider } from '../providers/handler-provider';

const MARKER = Symbol.for('cdk-encryption-guard.EbsEncryptionByDefault');

/**
 * Properties of `EbsEncryptionByDefault`.
 */
export interface EbsEncryptionByDefaultProps {
  /**
   * The customer managed key that becomes the account's default EBS key in the stack's Region.
   * AWS managed keys (`alias/aws/ebs`) are refused. The key's policy gets statements that let the
   * account's principals use it through EC2 and let the Auto Scaling service-linked role use it; a
   * key imported from another app keeps its policy, which must allow the same.
   *
   * @default - a new `CmkWithPolicy` (retained when it leaves the stack)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Let the Auto Scaling service-linked role (`AWSServiceRoleForAutoScaling`) use the key, so Auto
   * Scaling groups can launch instances with encrypted volumes. KMS refuses a key policy that names a
   * role that does not exist: the role exists once Auto Scaling has been used in the account, or
   * after `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`.
   *
   * @default true
   */
  readonly allowAutoScaling?: boolean;

  /**
   * When the construct leaves the stack (or the stack is deleted), turn encryption by default off
   * again and reset the default key to `alias/aws/ebs`. Left on otherwise, with the key retained.
   * Renaming or moving the construct is leaving: CloudFormation deletes the old resource after
   * creating the new one, which would turn the setting off. Set this to `false` and deploy before
   * moving it.
   *
   * @default false
   */
  readonly disableOnDelete?: boolean;
}

/**
 * Turns on EBS encryption by default for the stack's account and Region, with a customer managed
 * key as the default key: from then on every new EBS volume and snapshot copy in that Region is
 * encrypted, whatever its template says. A custom resource (the CDK provider framework) calls
 * `ModifyEbsDefaultKmsKeyId` and `EnableEbsEncryptionByDefault`; it is rendered as
 * `Custom::EbsEncryptionByDefault` with the key's ARN in `KmsKeyId`, which the encryption gate
 * recognises: in the same account and Region, an instance's or Auto Scaling group's root volume
 * that no mapping describes is proven encrypted, provided CloudFormation creates the instance or
 * group after it (`instance.node.addDependency(ebsDefault)`, or a stack dependency). Without such
 * an order both may be created at once, and the first deployment's root volume is unencrypted.
 *
 * The stack must name its account and Region (environment-agnostic stacks are refused), and an app
 * may hold only one per account and Region. When it leaves the stack, the setting stays on unless
 * `disableOnDelete` is set.
 *
 * @example
 * import { EbsEncryptionByDefault } from 'cdk-encryption-guard';
 *
 * // in a stack with env: { account, region }
 * const ebsDefault = new EbsEncryptionByDefault(this, 'EbsDefault');
 * // then, for each instance or Auto Scaling group it should cover: group.node.addDependency(ebsDefault);
 */
export class EbsEncryptionByDefault extends Construct {
  /** The CloudFormation resource type of the custom resource. */
  public static readonly RESOURCE_TYPE = 'Custom::EbsEncryptionByDefault';

  /** Whether `x` is an `EbsEncryptionByDefault`. */
  public static isEbsEncryptionByDefault(x: unknown): x is EbsEncryptionByDefault {
    return typeof x === 'object' && x !== null && MARKER in x;
  }

  /** The account's default EBS key in this Region. */
  public readonly encryptionKey: kms.IKey;
  /** The custom resource (`Custom::EbsEncryptionByDefault`, key ARN in `KmsKeyId`). */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: EbsEncryptionByDefaultProps = {}) {
    assertCdkVersion('constructs');
    super(scope, id);
    const stack = Stack.of(this);
    refuse(this, stack, props);
    // Marked only once accepted: a refused one (left in the tree by its exception) sets nothing.
    Object.defineProperty(this, MARKER, { value: true });

    this.encryptionKey = props.encryptionKey ?? new CmkWithPolicy(this, 'Key', {
      description: `Default EBS encryption key of account ${stack.account} in ${stack.region}`,
    });
    allowUseThroughEc2(this.encryptionKey, stack, props.allowAutoScaling ?? true);

    const disableOnDelete = props.disableOnDelete ?? false;
    const provider = HandlerProvider.of(this, {
      id: 'CegEbsEncryptionByDefaultProvider',
      description: 'Turns on EBS encryption by default with a customer managed key (cdk-encryption-guard EbsEncryptionByDefault)',
      handlerDirectory: path.join(__dirname, 'handler'),
    });
    // These EC2 actions have no resource-level permissions: AWS accepts only "*" for them.
    provider.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:EnableEbsEncryptionByDefault', 'ec2:ModifyEbsDefaultKmsKeyId',
        ...(disableOnDelete ? ['ec2:DisableEbsEncryptionByDefault', 'ec2:ResetEbsDefaultKmsKeyId'] : [])],
      resources: ['*'],
    }));
    provider.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:DescribeKey'],
      resources: [this.encryptionKey.keyArn],
    }));
    Validations.of(provider.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'EnableEbsEncryptionByDefault, ModifyEbsDefaultKmsKeyId, DisableEbsEncryptionByDefault and ResetEbsDefaultKmsKeyId '
        + 'support no resource-level permissions: AWS accepts only "*" as their resource.',
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: EbsEncryptionByDefault.RESOURCE_TYPE,
      properties: {
        KmsKeyId: this.encryptionKey.keyArn,
        DisableOnDelete: String(disableOnDelete),
      },
    });
    this.resource.node.addDependency(this.encryptionKey);
  }
}

/** The Auto Scaling service-linked role of the stack's account. */
function autoScalingServiceLinkedRole(stack: Stack): string {
  return `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/**
 * With encryption by default, whoever creates a volume uses the default key through EC2: the
 * account's principals (as far as their IAM policies allow) may use it and create grants for AWS
 * resources through EC2 only; the Auto Scaling service-linked role, which has no KMS permissions of
 * its own, is named.
 */
function allowUseThroughEc2(key: kms.IKey, stack: Stack, autoScaling: boolean): void {
  const throughEc2 = { 'kms:ViaService': `ec2.${stack.region}.amazonaws.com`, 'kms:CallerAccount': stack.account };
  const account = new iam.AccountRootPrincipal();
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'EbsDefaultKeyUseThroughEc2',
    principals: [account],
    actions: [...USE_ACTIONS, 'kms:Decrypt'],
    resources: ['*'],
    conditions: { StringEquals: throughEc2 },
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'EbsDefaultKeyGrantsThroughEc2',
    principals: [account],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { StringEquals: throughEc2, Bool: { 'kms:GrantIsForAWSResource': true } },
  }));
  if (autoScaling) {
    const role = new iam.ArnPrincipal(autoScalingServiceLinkedRole(stack));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'EbsDefaultKeyUseByAutoScaling',
      principals: [role],
      actions: [...USE_ACTIONS, 'kms:Decrypt'],
      resources: ['*'],
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'EbsDefaultKeyGrantsByAutoScaling',
      principals: [role],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
    }));
  }
}

function refuse(scope: EbsEncryptionByDefault, stack: Stack, props: EbsEncryptionByDefaultProps): void {
  const error = (message: string) => validationError('InvalidEbsEncryptionByDefault', `EbsEncryptionByDefault "${scope.node.id}": ${message}`, scope);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    const missing = [Token.isUnresolved(stack.account) ? 'account' : '', Token.isUnresolved(stack.region) ? 'Region' : ''].filter(m => m).join(' and ');
    throw error(`stack "${stack.node.path}" names no ${missing}, but encryption by default is a setting of one account and Region: `
      + 'give the stack an env with account and region (new Stack(app, id, { env: { account, region } })).');
  }
  const key = props.encryptionKey;
  if (key !== undefined && isAwsManagedKey(key)) {
    throw error('encryptionKey is an AWS managed key (alias/aws/...): its use cannot be limited and volumes under it cannot be shared '
      + 'with other accounts. Leave encryptionKey unset (a customer managed key is created) or pass a customer managed key.');
  }
  const other = scope.node.root.node.findAll().find((c: IConstruct) => c !== scope && EbsEncryptionByDefault.isEbsEncryptionByDefault(c)
    && Stack.of(c).account === stack.account && Stack.of(c).region === stack.region);
  if (other !== undefined) {
    throw error(`${other.node.path} already sets EBS encryption by default for account ${stack.account} in ${stack.region}: `
      + 'the setting has one value per account and Region, so keep a single EbsEncryptionByDefault there.');
  }
}
