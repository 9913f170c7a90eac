import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { isAwsManagedKey } from '../../aws/managed-keys';
import { isAccountId } from '../../private/account-id';
import { assertCdkVersion } from '../../private/cdk-version';
import { validationError } from '../../private/errors';
import { referencesIn, topLevelStackOf } from '../../private/stack-references';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { underlyingKey } from '../kms/key-grants';
import { keyOfOtherRegion } from '../kms/key-regions';
import { ReplicaKey } from '../kms/replica-key';

/**
 * Properties of a `RotatingSecret`: those of `secretsmanager.Secret`, and how it rotates.
 *
 * Some inherited properties are refused, or have another default here, which their own
 * (aws-cdk-lib's) documentation cannot say:
 *
 * - `encryptionKey`: an AWS managed key (`alias/aws/secretsmanager`) is refused, since its use cannot
 *   be controlled or shared with other accounts. Default: a `CmkWithPolicy` created for the secret,
 *   whose policy lets principals of the account use it through Secrets Manager.
 * - `replicaRegions`: a replica without `encryptionKey` is refused (it would use
 *   `aws/secretsmanager` there); each needs a customer managed key in its own Region.
 * - `removalPolicy`: default `RETAIN`.
 */
export interface RotatingSecretProps extends secretsmanager.SecretProps {
  /**
   * A Lambda function that rotates the secret. Exactly one of `rotationLambda` and
   * `hostedRotation` is required.
   *
   * @default - none; then `hostedRotation` is required
   */
  readonly rotationLambda?: lambda.IFunction;

  /**
   * A rotation function hosted by Secrets Manager, for RDS engines, Redshift and DocumentDB, in
   * single- or multi-user form (`secretsmanager.HostedRotation.postgreSqlSingleUser({ vpc, ... })`).
   * Exactly one of `rotationLambda` and `hostedRotation` is required.
   *
   * @default - none; then `rotationLambda` is required
   */
  readonly hostedRotation?: secretsmanager.HostedRotation;

  /**
   * How often the secret rotates: 4 hours to 1,000 days.
   *
   * @default Duration.days(30)
   */
  readonly rotationInterval?: Duration;

  /**
   * Rotate as soon as the rotation configuration changes (and when the secret is created).
   *
   * @default true
   */
  readonly rotateImmediatelyOnUpdate?: boolean;

  /**
   * Other AWS accounts (12-digit IDs) that may read the secret: the secret's resource policy and its
   * key's policy both allow them. Their IAM policies must allow it too.
   *
   * @default - no other account
   */
  readonly crossAccountReadIds?: string[];
}

/**
 * A Secrets Manager secret encrypted with a customer managed key and rotated automatically:
 * every 30 days by default, immediately on update, by your Lambda function or a rotation function
 * hosted by Secrets Manager. Retained on removal.
 *
 * It is a `secretsmanager.Secret`. The key (a `CmkWithPolicy` made for it unless `encryptionKey`
 * is given) lets principals of the account use it only through Secrets Manager, so `grantRead` and
 * the rotation function's role work; the AWS managed `aws/secretsmanager` key is refused, since its
 * use cannot be controlled or shared with other accounts. Replica Regions need a key each.
 *
 * @example
 * import { RotatingSecret } from 'cdk-encryption-guard';
 *
 * new RotatingSecret(this, 'ApiToken', { rotationLambda: rotateTokenFn });
 */
export class RotatingSecret extends secretsmanager.Secret {
  /** The rotation schedule (always present). */
  public readonly rotationSchedule: secretsmanager.RotationSchedule;

  /** The Regions the secret is replicated to. */
  private readonly replicaRegionNames: string[];

  /** Keys of replica Regions whose policy now lets the account use them through Secrets Manager there. */
  private readonly replicaKeysToRead: Array<{ readonly region: string; readonly key: kms.IKey }> = [];

  constructor(scope: Construct, id: string, props: RotatingSecretProps) {
    assertCdkVersion('constructs');
    refuse(scope, id, props);
    const encryptionKey = props.encryptionKey ?? new CmkWithPolicy(scope, `${id}Key`, { description: `Encrypts secret ${id}` });
    super(scope, id, { ...props, encryptionKey, removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN });
    const stack = Stack.of(this);
    this.replicaRegionNames = (props.replicaRegions ?? []).map(r => r.region);
    allowUseThroughSecretsManager(encryptionKey, stack.region, stack.account);
    // Replication (ReplicateSecretToRegions, on create and on every new version) generates a data key
    // with each replica Region's key, through Secrets Manager in that Region; readers there decrypt
    // with it. An imported key's policy cannot be changed: it must allow this itself.
    for (const replica of props.replicaRegions ?? []) {
      if (replica.encryptionKey !== undefined && allowUseThroughSecretsManager(replica.encryptionKey, replica.region, stack.account)) {
        this.replicaKeysToRead.push({ region: replica.region, key: underlyingKey(replica.encryptionKey) });
      }
    }
    this.rotationSchedule = this.addRotationSchedule('Rotation', {
      rotationLambda: props.rotationLambda,
      hostedRotation: props.hostedRotation,
      automaticallyAfter: props.rotationInterval ?? Duration.days(30),
      rotateImmediatelyOnUpdate: props.rotateImmediatelyOnUpdate ?? true,
    });
    for (const account of props.crossAccountReadIds ?? []) {
      this.grantRead(new iam.AccountPrincipal(account));
    }
  }

  /**
   * Grants read access to the secret (as `secretsmanager.Secret` does) and, for a grantee with an IAM
   * policy of its own, to each replica (a replica has its own ARN, in its Region); and `kms:Decrypt`
   * through Secrets Manager on the key of each replica Region whose key policy this construct could
   * change, so that the grantee can read the replicas too.
   */
  public grantRead(grantee: iam.IGrantable, versionStages?: string[]): iam.Grant {
    let grant = super.grantRead(grantee, versionStages);
    const principal = grantee.grantPrincipal;
    const replicaArns = (this.replicaRegionNames ?? []).map(region => replicaArnOf(this, region));
    if (replicaArns.length > 0) {
      const actions = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
      const conditions = versionStages === undefined ? undefined : { 'ForAnyValue:StringEquals': { 'secretsmanager:VersionStage': versionStages } };
      // A principal of another account needs the secret's resource policy too. Secrets Manager copies
      // it to each replica, where `super.grantRead`'s statement names the primary's ARN; `*` in a
      // secret's policy is the secret it is attached to, the primary or a replica.
      grant = grant.combine(iam.Grant.addToPrincipalOrResource({ grantee, actions, resourceArns: replicaArns, resourceSelfArns: ['*'], resource: this, conditions }));
    }
    for (const { region, key } of this.replicaKeysToRead ?? []) {
      const via = `secretsmanager.${region}.amazonaws.com`;
      // A role or user of the app in the key's account: the replica key's policy already lets the
      // account's principals decrypt through Secrets Manager there, so its own policy suffices (naming
      // it in the replica key's policy would make that key's stack refer back to the grantee's: a cycle).
      grant = grant.combine(iam.principalIsOwnedResource(principal) && inAccountOf(principal, key)
        ? iam.Grant.addToPrincipal({ grantee, actions: ['kms:Decrypt'], resourceArns: [key.keyArn], conditions: { StringEquals: { 'kms:ViaService': via } } })
        : key.grantDecrypt(new kms.ViaServicePrincipal(via, principal)));
    }
    return grant;
  }

  /**
   * Attaches the secret to a database (as `rds.Credentials.fromSecret` does), and makes the rotation
   * schedule wait for the attachment: CloudFormation then creates the schedule, and runs the first
   * rotation, only once the attachment has put `host`, `port` and `engine` into the secret, after the
   * database exists. Rotating the bare secret first would fail with no host to connect to.
   */
  public attach(target: secretsmanager.ISecretAttachmentTarget): secretsmanager.ISecret {
    const attachment = super.attach(target);
    this.rotationSchedule?.node.addDependency(attachment);
    return attachment;
  }
}

/**
 * The key policy names no IAM principal for use; principals of this account may still use the key
 * through Secrets Manager in `region` (kms:ViaService), as far as their own IAM policies allow. That is
 * what `grantRead`, a hosted rotation function's role and replication rely on. Returns whether the
 * key's policy could be changed (an imported key's cannot).
 */
function allowUseThroughSecretsManager(given: kms.IKey, region: string, account: string): boolean {
  const key = underlyingKey(given);
  const keyRegion = Stack.of(key).region;
  // One statement per Region; the Sid stays that of the key's own Region (a key in another Region would be a mistake).
  const sid = region === keyRegion || Token.isUnresolved(keyRegion) || Token.isUnresolved(region)
    ? 'AllowUseThroughSecretsManager' : `AllowUseThroughSecretsManager${region.replace(/[^A-Za-z0-9]/g, '')}`;
  return key.addToResourcePolicy(new iam.PolicyStatement({
    sid,
    principals: [new iam.AccountRootPrincipal()],
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: {
      StringEquals: {
        'kms:ViaService': `secretsmanager.${region}.amazonaws.com`,
        'kms:CallerAccount': account,
      },
    },
  })).statementAdded;
}

function refuse(scope: Construct, id: string, props: RotatingSecretProps): void {
  const error = (message: string) => validationError('InvalidRotatingSecret', `RotatingSecret "${id}": ${message}`, scope);
  if ((props.rotationLambda === undefined) === (props.hostedRotation === undefined)) {
    throw error(props.rotationLambda === undefined
      ? 'give exactly one of rotationLambda or hostedRotation: a secret without rotation is refused.'
      : 'rotationLambda and hostedRotation are both set; give exactly one.');
  }
  const interval = props.rotationInterval;
  if (interval !== undefined && !Token.isUnresolved(interval.toMilliseconds())
    && (interval.toMilliseconds() < Duration.hours(4).toMilliseconds() || interval.toMilliseconds() > Duration.days(1000).toMilliseconds())) {
    throw error(`rotationInterval is ${interval.toHumanString()}; it must be from 4 hours to 1,000 days.`);
  }
  if (props.encryptionKey !== undefined && isAwsManagedKey(props.encryptionKey)) {
    const name = (props.encryptionKey as { aliasName?: string }).aliasName ?? props.encryptionKey.keyArn;
    throw error(`encryptionKey is the AWS managed key ${name}, whose use you cannot control or share: leave encryptionKey unset `
      + '(a customer managed key is created) or pass a customer managed key.');
  }
  const stack = Stack.of(scope);
  const otherRegion = props.encryptionKey && keyOfOtherRegion('encryptionKey', props.encryptionKey, 'the secret', stack.region);
  if (otherRegion !== undefined) {
    throw error(otherRegion);
  }
  for (const [i, replica] of (props.replicaRegions ?? []).entries()) {
    if (replica.encryptionKey === undefined) {
      throw error(`replicaRegions[${i}] (${replica.region}) has no encryptionKey: each replica needs a customer managed key in its own Region.`);
    }
    const replicaRegion = keyOfOtherRegion(`replicaRegions[${i}].encryptionKey`, replica.encryptionKey, 'its replica', replica.region);
    if (replicaRegion !== undefined) {
      throw error(replicaRegion);
    }
    const key = underlyingKey(replica.encryptionKey);
    if (key instanceof ReplicaKey && referencesStack(key.primaryKeyArn, stack)) {
      throw error(`replicaRegions[${i}] (${replica.region}) uses replica key ${key.node.path}, whose primary key is deployed with this secret's stack `
        + `"${stack.node.path}": the replica's stack needs this stack first (for the primary's ARN), and the secret would need the replica's `
        + 'stack first (for its key), a dependency cycle. Put the secret in a top-level stack of its own in the primary\'s Region, which then deploys '
        + 'after the replica\'s stack, or put the primary key in another stack.');
    }
  }
  for (const account of props.crossAccountReadIds ?? []) {
    if (!isAccountId(account)) {
      throw error(`crossAccountReadIds includes "${account}", which is not a 12-digit AWS account ID.`);
    }
  }
}

/** Whether a principal is of the key's account (a role of another account's stack, or imported from one, is not). */
function inAccountOf(principal: iam.IPrincipal, key: kms.IKey): boolean {
  const account = principal.principalAccount ?? Stack.of(principal as unknown as Construct).account;
  return account === Stack.of(key).account;
}

/** A replica's ARN: the secret's, in the replica's Region (same name and suffix). */
function replicaArnOf(secret: secretsmanager.Secret, region: string): string {
  const stack = Stack.of(secret);
  return Arn.format({ ...Arn.split(secret.secretArn, ArnFormat.COLON_RESOURCE_NAME), region }, stack);
}

/**
 * Whether a value refers to a resource deployed with `stack` (a reference CDK turns into a stack
 * dependency): of the stack, or of a stack nested in the same top-level stack, deployed together.
 */
function referencesStack(value: string, stack: Stack): boolean {
  const deployed = topLevelStackOf(stack);
  return referencesIn(value).some(reference => topLevelStackOf(Stack.of(reference.target)) === deployed);
}
