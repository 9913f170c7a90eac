import * as path from 'path';
import { ArnFormat, CustomResource, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { isAwsManagedKeyAlias } from '../../aws/managed-keys';
import { assertCdkVersion } from '../../private/cdk-version';
import { validationError } from '../../private/errors';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { grantOnPolicyKey } from '../kms/key-grants';
import { HandlerProvider } from '../providers/handler-provider';

/** Letters and digits: always part of a generated value. */
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/**
 * Punctuation of generated values. Quotes, backslash, slash, `@`, backtick and space are left out:
 * they break shell commands, URLs and connection strings more often than they add strength.
 */
const PUNCTUATION = '!#$%&()*+,-.:;<=>?[]^_{|}~';

/**
 * How a generated SecureString value is made.
 */
export interface GeneratedValueOptions {
  /**
   * Number of characters: 16 to 4096 (8192 for the advanced tier).
   *
   * @default 32
   */
  readonly length?: number;

  /**
   * Use only letters and digits.
   *
   * @default false - letters, digits and the punctuation `!#$%&()*+,-.:;<=>?[]^_{|}~`
   */
  readonly excludePunctuation?: boolean;

  /**
   * Characters never to use, on top of those left out by default.
   *
   * @default - none
   */
  readonly excludeCharacters?: string;
}

/**
 * How a value copied from a Secrets Manager secret is read.
 */
export interface SecretValueOptions {
  /**
   * The field of a JSON secret to copy (for example `password`).
   *
   * @default - the whole secret string
   */
  readonly jsonField?: string;

  /**
   * The version stage of the secret to copy.
   *
   * @default 'AWSCURRENT'
   */
  readonly versionStage?: string;
}

/**
 * Where the value of a `SecureStringParameter` comes from. The value is generated or read by the
 * custom resource's function at deploy time: it is never in the template, in the function's logs or
 * in the custom resource's response.
 */
export class SecureStringValue {
  /**
   * A random value generated at deploy time (Node's `crypto.randomInt`). It stays the same across
   * updates unless the generator options or the key change.
   */
  public static generated(options: GeneratedValueOptions = {}): SecureStringValue {
    return new SecureStringValue({ kind: 'generate', generated: options });
  }

  /**
   * A copy of a Secrets Manager secret (or one JSON field of it), taken when the parameter is
   * created and on every later update of this construct. The copy does not follow the secret's
   * rotations: prefer reading the secret itself where you can.
   */
  public static fromSecret(secret: secretsmanager.ISecret, options: SecretValueOptions = {}): SecureStringValue {
    return new SecureStringValue({ kind: 'secret', secret, secretOptions: options });
  }

  /** @internal */
  public readonly _source: ValueSource;

  private constructor(source: ValueSource) {
    this._source = source;
  }
}

/** @internal */
export interface ValueSource {
  readonly kind: 'generate' | 'secret';
  readonly generated?: GeneratedValueOptions;
  readonly secret?: secretsmanager.ISecret;
  readonly secretOptions?: SecretValueOptions;
}

/**
 * Properties of a `SecureStringParameter`.
 */
export interface SecureStringParameterProps {
  /**
   * The parameter's name: a plain name (`db-password`) or a path (`/orders/db/password`). Letters,
   * digits and `_.-/`; it cannot begin with `aws` or `ssm`.
   */
  readonly parameterName: string;

  /**
   * Where the value comes from.
   *
   * @default SecureStringValue.generated()
   */
  readonly value?: SecureStringValue;

  /**
   * The customer managed key that encrypts the value. AWS managed keys (`alias/aws/ssm`) are
   * refused: their use cannot be limited.
   *
   * @default - a new `CmkWithPolicy` that principals of the account may use only through Parameter Store
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The parameter tier. An advanced parameter cannot become standard again.
   *
   * @default ssm.ParameterTier.STANDARD
   */
  readonly tier?: ssm.ParameterTier;

  /**
   * A description of the parameter.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * What happens to the parameter when it leaves the stack: `RETAIN` keeps it, `DESTROY` deletes
   * it. `SNAPSHOT` is refused (a parameter has no snapshot).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

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

  constructor(scope: Construct, id: string, props: SecureStringParameterProps) {
    assertCdkVersion('constructs');
    super(scope, id);
    const stack = Stack.of(this);
    const value = props.value ?? SecureStringValue.generated();
    const tier = props.tier ?? ssm.ParameterTier.STANDARD;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const alphabet = refuse(this, props, value, tier, removalPolicy);

    this.encryptionKey = props.encryptionKey ?? new CmkWithPolicy(this, 'Key', { description: `Encrypts the SecureString parameter ${props.parameterName}` });
    if (props.encryptionKey === undefined) {
      allowUseThroughParameterStore(this.encryptionKey);
    }
    this.parameterName = props.parameterName;
    this.parameterArn = parameterArn(stack, props.parameterName);
    this.keyGiven = props.encryptionKey !== undefined;

    const serviceToken = providerFor(this, this.parameterArn, this.encryptionKey, value._source, this.keyGiven);
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
      grantOnPolicyKey(this.encryptionKey, grantee, ['kms:Decrypt'], conditions);
    } else {
      iam.Grant.addToPrincipal({ grantee, actions: ['kms:Decrypt'], resourceArns: [this.encryptionKey.keyArn], conditions });
    }
    return grant;
  }
}

/** The ARN of a parameter of this stack's account and Region (`parameter/name` or `parameter/path/name`). */
function parameterArn(stack: Stack, name: string): string {
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
function allowUseThroughParameterStore(key: kms.IKey): void {
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

function refuse(
  scope: Construct, props: SecureStringParameterProps, value: SecureStringValue, tier: ssm.ParameterTier, removalPolicy: RemovalPolicy,
): string | undefined {
  const error = (message: string) => validationError('InvalidSecureStringParameter', `SecureStringParameter "${scope.node.id}": ${message}`, scope);
  const name = props.parameterName;
  if (!Token.isUnresolved(name)) {
    if (!/^[a-zA-Z0-9_.\-/]+$/.test(name) || name.length > 1011) {
      throw error(`parameterName "${name}" is not a valid parameter name: use up to 1011 letters, digits and _.-/ characters.`);
    }
    if (/^\/?(aws|ssm)/i.test(name)) {
      throw error(`parameterName "${name}" begins with "aws" or "ssm", which Parameter Store reserves: choose another name.`);
    }
    if (name.includes('/') && !name.startsWith('/')) {
      throw error(`parameterName "${name}" is a path that does not begin with "/": write it as "/${name}".`);
    }
    if (name.split('/').length - 1 > 15) {
      throw error(`parameterName "${name}" has more than 15 levels: Parameter Store allows at most 15.`);
    }
  }
  if (props.encryptionKey !== undefined && isAwsManagedKey(props.encryptionKey)) {
    throw error('encryptionKey is an AWS managed key (alias/aws/...), whose use you cannot limit or share: '
      + 'leave encryptionKey unset (a customer managed key is created) or pass a customer managed key.');
  }
  if (removalPolicy === RemovalPolicy.SNAPSHOT) {
    throw error('removalPolicy is SNAPSHOT, but a parameter has no snapshot: use RETAIN (the default) or DESTROY.');
  }
  if (props.description !== undefined && !Token.isUnresolved(props.description) && props.description.length > 1024) {
    throw error(`description has ${props.description.length} characters; Parameter Store accepts at most 1024.`);
  }
  const source = value._source;
  if (source.kind !== 'generate') {
    const field = source.secretOptions?.jsonField;
    if (field !== undefined && !Token.isUnresolved(field) && field.length === 0) {
      throw error('jsonField of SecureStringValue.fromSecret is empty: name a field of the secret, or leave it unset to copy the whole secret.');
    }
    return undefined;
  }
  const options = source.generated ?? {};
  const length = options.length ?? 32;
  const max = tier === ssm.ParameterTier.STANDARD ? 4096 : 8192;
  if (!Token.isUnresolved(length) && (!Number.isInteger(length) || length < 16 || length > max)) {
    throw error(`the generated value's length is ${length}; it must be a whole number from 16 (shorter values are weak) to ${max} (the ${tier} tier's limit).`);
  }
  const excluded = new Set(options.excludeCharacters ?? '');
  const alphabet = [...(options.excludePunctuation ? ALPHANUMERIC : ALPHANUMERIC + PUNCTUATION)].filter(c => !excluded.has(c)).join('');
  if (alphabet.length < 32) {
    throw error(`excludeCharacters leaves ${alphabet.length} characters to draw from; keep at least 32 so that the value stays strong.`);
  }
  return alphabet;
}

function isAwsManagedKey(key: kms.IKey): boolean {
  const names = [key.keyArn, key.keyId, (key as { aliasName?: string }).aliasName];
  return names.some(n => typeof n === 'string' && !Token.isUnresolved(n) && isAwsManagedKeyAlias(n));
}

/** The provider of every `SecureStringParameter` of a stack, and what its handler may do for one. */
function providerFor(scope: Construct, arn: string, key: kms.IKey, source: ValueSource, keyGiven: boolean): string {
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
