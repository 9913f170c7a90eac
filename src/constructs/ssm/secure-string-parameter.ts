import { CustomResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { allowUseThroughParameterStore, parameterArn } from './parameter-store-access';
import { providerFor } from './parameter-writer';
import { SecureStringParameterProps } from './secure-string-parameter-props';
import { refuseInvalidProps } from './secure-string-parameter-refusals';
import { SecureStringValue } from './secure-string-value';
import { assertCdkVersion } from '../../private/cdk-version';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { grantOnPolicyKey, underlyingKey } from '../kms/key-grants';

// The value sources and the props live in their own files; they are exported from here too, where
// the construct's users (and tests) have always imported them.
export { SecureStringValue, GeneratedValueOptions, SecretValueOptions } from './secure-string-value';
export { SecureStringParameterProps } from './secure-string-parameter-props';

/**
 * A Parameter Store `SecureString` encrypted with a customer managed key. CloudFormation cannot
 * create SecureString parameters, so a custom resource (the CDK provider framework) creates it:
 * its function generates the value, or copies it from a Secrets Manager secret, and writes it with
 * `PutParameter`. The value never appears in the template, the function's logs or the response.
 *
 * An existing parameter of the same name is never overwritten (the deployment fails instead).
 * The parameter is retained when it leaves the stack unless `removalPolicy` is `DESTROY`.
 *
 * @example
 * import { SecureStringParameter } from 'cdk-encryption-guard';
 *
 * const password = new SecureStringParameter(this, 'Password', { parameterName: '/orders/db/password' });
 * password.grantRead(appRole);
 */
export class SecureStringParameter extends Construct {
  /** The parameter's name. */
  public readonly parameterName: string;
  /** The parameter's ARN. */
  public readonly parameterArn: string;
  /** The key that encrypts the value. */
  public readonly encryptionKey: kms.IKey;
  /** The custom resource that writes the parameter. */
  public readonly resource: CustomResource;
  /** Whether the key was passed in (then its policy names the handler role and grantees). */
  private readonly keyGiven: boolean;
  /** The key grants name: the one behind an alias (an alias ARN authorizes nothing in IAM). */
  private readonly grantedKey: kms.IKey;

  constructor(scope: Construct, id: string, props: SecureStringParameterProps) {
    assertCdkVersion('constructs');
    super(scope, id);
    const stack = Stack.of(this);
    const value = props.value ?? SecureStringValue.generated();
    const tier = props.tier ?? ssm.ParameterTier.STANDARD;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const alphabet = refuseInvalidProps(this, props, value, tier, removalPolicy);

    this.encryptionKey = props.encryptionKey ?? new CmkWithPolicy(this, 'Key', { description: `Encrypts the SecureString parameter ${props.parameterName}` });
    if (props.encryptionKey === undefined) {
      allowUseThroughParameterStore(this.encryptionKey);
    }
    this.parameterName = props.parameterName;
    this.parameterArn = parameterArn(stack, props.parameterName);
    this.keyGiven = props.encryptionKey !== undefined;
    this.grantedKey = underlyingKey(this.encryptionKey);

    const serviceToken = providerFor(this, this.parameterArn, this.grantedKey, value._source, this.keyGiven);
    const source = value._source;
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken,
      resourceType: 'Custom::SecureStringParameter',
      removalPolicy,
      properties: {
        ParameterName: props.parameterName,
        KmsKeyId: this.encryptionKey.keyArn,
        Tier: tier,
        Description: props.description,
        Source: source.kind,
        ...(source.kind === 'generate'
          ? { Length: String(source.generated?.length ?? 32), Alphabet: alphabet }
          : { SecretId: source.secret!.secretArn, JsonField: source.secretOptions?.jsonField, VersionStage: source.secretOptions?.versionStage }),
      },
    });
    // The key (and its policy) must exist before the parameter is written, and outlive it on delete.
    this.resource.node.addDependency(this.encryptionKey);
  }

  /**
   * Lets `grantee` read the value: `ssm:GetParameter`, `ssm:GetParameters` and
   * `ssm:GetParameterHistory` on this parameter, and `kms:Decrypt` on its key only through Parameter
   * Store for this parameter (`kms:ViaService`, `kms:EncryptionContext:PARAMETER_ARN`).
   *
   * The grant is in the grantee's IAM policy. A key made by this construct lets the account's
   * principals use it through Parameter Store; a key you pass (defined in this app) also gets the
   * grant in its key policy, with the same conditions. An imported key must allow it in its policy.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParameterHistory'],
      resourceArns: [this.parameterArn],
    });
    const conditions = {
      StringEquals: {
        'kms:ViaService': `ssm.${Stack.of(this).region}.amazonaws.com`,
        'kms:EncryptionContext:PARAMETER_ARN': this.parameterArn,
      },
    };
    if (this.keyGiven) {
      // A key passed in may not trust IAM (a CmkWithPolicy does not): its policy must name the grantee.
      grantOnPolicyKey(this.grantedKey, grantee, ['kms:Decrypt'], conditions);
    } else {
      iam.Grant.addToPrincipal({ grantee, actions: ['kms:Decrypt'], resourceArns: [this.grantedKey.keyArn], conditions });
    }
    return grant;
  }
}
