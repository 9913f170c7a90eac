import { Aws, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { keyPolicySizeErrors } from './key-policy-size';
import { deployingRoleOf, isAccountRoot, isEveryone, refuseGroup } from './key-principals';
import { describeStatement, publicStatements, Statement, statementsOf } from '../../aws/iam-policy';
import { hasAdministrator } from '../../aws/key-administrators';
import { partitionOf } from '../../aws/key-resources';
import { isAccountId } from '../../private/account-id';
import { overridePathsOf, renderedPropertiesOf } from '../../private/cdk-internals';
import { validationError } from '../../private/errors';

/**
 * Who may manage and use a customer managed key. Shared by `CmkWithPolicy`, `MultiRegionKey` and
 * `ReplicaKey`: each builds its key policy from these options, statement by statement.
 */
export interface KeyPolicyOptions {
  /**
   * Principals that manage the key (change its policy, enable, disable, rotate, tag, schedule
   * deletion) but cannot use it to encrypt or decrypt.
   *
   * @default - the account (its root principal) for administrative actions only: IAM principals of
   * the account whose own IAM policies allow KMS administration can manage the key, so it can never
   * be locked out, but nobody can use it unless named in `keyUsers` or granted.
   */
  readonly administrators?: iam.IPrincipal[];

  /**
   * Principals that use the key: `kms:Encrypt`, `kms:Decrypt`, `kms:ReEncrypt*`,
   * `kms:GenerateDataKey*` and `kms:DescribeKey`, and grants for AWS resources. They cannot manage it.
   * They are named in the key policy: a role of another stack that also refers to the key makes a
   * dependency cycle; give such a role its uses with the `grant*` methods instead.
   *
   * @default - none; use `grant*` methods to give specific principals specific uses
   */
  readonly keyUsers?: iam.IPrincipal[];

  /**
   * Require multi-factor authentication for `kms:Decrypt` by key users and other accounts
   * (`aws:MultiFactorAuthPresent`). For people; a service role never has MFA, so grant it instead.
   *
   * @default false
   */
  readonly requireMfaForDecrypt?: boolean;

  /**
   * Other AWS accounts (12-digit IDs) whose principals may use the key, with the same actions and
   * conditions as key users. Those accounts still have to allow it in their IAM policies.
   *
   * @default - no other account
   */
  readonly crossAccountIds?: string[];

  /**
   * Restrict key users and other accounts to using the key through these AWS services only
   * (`kms:ViaService`), named by their endpoint prefix: `s3`, `rds`, `secretsmanager`, `ec2`, ...
   *
   * @default - no restriction: key users may call KMS directly
   */
  readonly viaServices?: string[];

  /**
   * The ARN of the role that deploys the stack (its CloudFormation execution role). When
   * `administrators` leaves out the account, this role stays an administrator of the key (the
   * account principal, limited to this ARN by `aws:PrincipalArn`): KMS refuses to create a key whose
   * policy would not let the caller change it again (the lockout safety check), and later
   * deployments must still update the policy. Unused when the account is an administrator.
   *
   * @default - the CloudFormation execution role of the stack's `DefaultStackSynthesizer` (for a
   * nested stack, its top-level stack's); with any other synthesizer, `administrators` must include
   * the account (`new iam.AccountRootPrincipal()`)
   */
  readonly deployingRoleArn?: string;
}

/** Actions that manage a key without using it: no Encrypt, Decrypt, GenerateDataKey or CreateGrant. */
export const ADMIN_ACTIONS = [
  'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias',
  'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListAliases', 'kms:ListGrants',
  'kms:ListKeyPolicies', 'kms:ListKeyRotations', 'kms:ListResourceTags', 'kms:ListRetirableGrants',
  'kms:PutKeyPolicy', 'kms:UpdateKeyDescription', 'kms:EnableKey', 'kms:DisableKey',
  'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand', 'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:TagResource', 'kms:UntagResource',
  'kms:ReplicateKey', 'kms:UpdatePrimaryRegion',
];

/** What key users may do. */
export const USE_ACTIONS = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/**
 * Builds and guards the key policy of one key. The policy refuses, at construction, what would
 * lock the key out or open it to everyone; a validation re-checks the final document at synthesis.
 */
export class KeyPolicyModel {
  public readonly document: iam.PolicyDocument;

  private key?: IConstruct;

  /**
   * @param scope where the key is created (its stack's Region names the `kms:ViaService` endpoints)
   */
  constructor(private readonly scope: IConstruct, options: KeyPolicyOptions) {
    validateOptions(scope, options);
    const stack = Stack.of(scope);
    const administrators = options.administrators ?? [new iam.AccountRootPrincipal()];
    const deployingRole = administrators.some(p => isAccountRoot(scope, p)) ? undefined : deployingRoleOf(scope, options.deployingRoleArn);
    const viaService = options.viaServices?.length
      ? { StringEquals: { 'kms:ViaService': options.viaServices.map(s => `${s}.${stack.region}.amazonaws.com`) } }
      : undefined;
    const statements = [
      new iam.PolicyStatement({ sid: 'KeyAdministration', principals: administrators, actions: ADMIN_ACTIONS, resources: ['*'] }),
      // KMS's lockout safety check: the caller of CreateKey (the deploying role) must be able to
      // PutKeyPolicy under the new policy. Named by a condition, so the role need not exist yet.
      ...(deployingRole === undefined ? [] : [new iam.PolicyStatement({
        sid: 'DeployingRoleAdministration',
        principals: [new iam.AccountRootPrincipal()],
        actions: ADMIN_ACTIONS,
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': deployingRole } },
      })]),
      ...useStatements('KeyUsers', options.keyUsers ?? [], options.requireMfaForDecrypt === true, viaService),
      // In a stack whose account is known only at deploy time, one of crossAccountIds may turn out to
      // be the key's own account (refused at synthesis when the account is known): its callers are left out.
      ...useStatements('CrossAccount', (options.crossAccountIds ?? []).map(id => new iam.AccountPrincipal(id)),
        options.requireMfaForDecrypt === true, viaService,
        Token.isUnresolved(stack.account) ? { StringNotEquals: { 'kms:CallerAccount': Aws.ACCOUNT_ID } } : {}),
      // Grants only for AWS resources (EBS, RDS, ... create them on the caller's behalf).
      new iam.PolicyStatement({
        sid: 'DenyGrantsNotForAwsResources',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    ];
    this.document = new iam.PolicyDocument({ statements });
  }

  /** Ties the model to its key: the final document is re-checked when the key is validated. */
  public attach(key: IConstruct): void {
    this.key = key;
    key.node.addValidation({ validate: () => this.validateDocument() });
  }

  /** Refuses a statement open to everyone without a condition that narrows who. */
  public guard(statement: iam.PolicyStatement): void {
    const key = this.key ?? this.scope;
    const json = Stack.of(key).resolve(statement.toStatementJson()) as Statement;
    if (publicStatements([json]).length > 0) {
      throw validationError('PublicKeyPolicyStatement',
        `A key policy statement for ${key.node.path} allows ${JSON.stringify(json.Action)} to every principal ("*") without a condition `
        + 'that limits who (aws:PrincipalAccount, aws:PrincipalOrgID, kms:CallerAccount, ...; kms:ViaService alone does not). Name the principals, or add such a condition.',
        key);
    }
  }

  /**
   * Checks the key policy as the template will have it: the document this model built, with every
   * statement added since, and with the escape hatches (`addPropertyOverride('KeyPolicy...')`,
   * `addOverride`, deletions) applied to the key's L1. An override cannot open the key to everyone
   * or lock it out where the props could not.
   */
  private validateDocument(): string[] {
    const stack = Stack.of(this.scope);
    const resource = this.key?.node.defaultChild;
    const overrides = resource instanceof CfnResource ? overridePathsOf(resource, 'KeyPolicy') : [];
    // A mixin or an assignment may have given the L1 another policy: judge the one it has.
    const given = (resource as { keyPolicy?: unknown } | undefined)?.keyPolicy;
    const replaced = resource instanceof CfnResource && given !== this.document;
    let document: unknown = stack.resolve(replaced ? given : this.document.toJSON());
    if (overrides.length > 0 && resource instanceof CfnResource) {
      const rendered = renderedPropertiesOf(resource);
      if (rendered !== undefined || overrides.includes('Properties')) {
        document = rendered?.KeyPolicy;
      }
    }
    const hatch = replaced && overrides.length === 0 ? ` This is the policy given to ${resource!.node.path} directly (keyPolicy, or a mixin).`
      : overrides.length === 0 ? ''
        : ` This is the policy as rendered with the escape hatch${overrides.length > 1 ? 'es' : ''} ${overrides.map(o => `"${o}"`).join(', ')} `
        + `on ${resource!.node.path}: remove ${overrides.length > 1 ? 'them' : 'it'}, and change the key policy through the construct's props, `
        + 'addToResourcePolicy or grant* (which check what they add) instead.';
    if (document === undefined) {
      return [`The key policy of ${this.key?.node.path} is deleted by an escape hatch: KMS would apply its default key policy, which lets every `
        + `IAM principal of the account whose IAM policies allow it use and manage the key.${hatch}`];
    }
    // A policy given to the L1 as an intrinsic (an Fn::If of two documents) is the gate's to judge.
    const statements = statementsOf(document, true) ?? (replaced ? undefined : []);
    if (statements === undefined) {
      return [];
    }
    const errors: string[] = [];
    const open = publicStatements(statements);
    if (open.length > 0) {
      const which = open.map(s => describeStatement(s, statements)).join(', ');
      errors.push(`The key policy allows every principal ("*") without a condition that limits who (${which}); name the principals or add a condition.${hatch}`);
    }
    if (!hasAdministrator(statements, undefined, partitionOf(stack))) {
      errors.push(`The key policy lets no principal manage the key (kms:PutKeyPolicy): the key would be locked out. Keep an administrator.${hatch}`);
    }
    return [...errors, ...keyPolicySizeErrors(document, this.key)];
  }
}

function useStatements(prefix: string, principals: iam.IPrincipal[], mfa: boolean, viaService?: { [op: string]: unknown },
  every: { [op: string]: unknown } = {}): iam.PolicyStatement[] {
  if (principals.length === 0) {
    return [];
  }
  const conditions = (own: { [op: string]: unknown } | undefined) => {
    const all = { ...own, ...every };
    return Object.keys(all).length > 0 ? all : undefined;
  };
  const statements = [
    new iam.PolicyStatement({
      sid: `${prefix}Use`,
      principals,
      resources: ['*'],
      conditions: conditions(viaService),
      actions: mfa ? USE_ACTIONS : [...USE_ACTIONS, 'kms:Decrypt'],
    }),
    new iam.PolicyStatement({
      sid: `${prefix}GrantsForAwsResources`,
      principals,
      resources: ['*'],
      actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      conditions: conditions({ Bool: { 'kms:GrantIsForAWSResource': true } }),
    }),
  ];
  if (mfa) {
    statements.splice(1, 0, new iam.PolicyStatement({
      sid: `${prefix}DecryptWithMfa`,
      principals,
      resources: ['*'],
      actions: ['kms:Decrypt'],
      conditions: conditions({ ...viaService, Bool: { 'aws:MultiFactorAuthPresent': true } }),
    }));
  }
  return statements;
}

function validateOptions(key: IConstruct, options: KeyPolicyOptions): void {
  if (options.administrators !== undefined && options.administrators.length === 0) {
    throw validationError('KeyWithoutAdministrator',
      'administrators is empty: a key policy without an administrator locks the key out for good. '
      + 'Leave administrators unset (the account manages the key) or name at least one principal.', key);
  }
  for (const [prop, principals] of [['administrators', options.administrators], ['keyUsers', options.keyUsers]] as const) {
    (principals ?? []).forEach(p => refuseGroup(key, p, prop));
    if ((principals ?? []).some(p => isEveryone(key, p))) {
      throw validationError('PublicKeyPrincipal',
        `${prop} includes every principal ("*"): that opens the key to anyone. Name the roles, users or accounts instead.`, key);
    }
  }
  for (const id of options.crossAccountIds ?? []) {
    if (!isAccountId(id)) {
      throw validationError('InvalidAccountId', `crossAccountIds includes "${id}", which is not a 12-digit AWS account ID.`, key);
    }
    // The key's own account as a key user delegates use to IAM, so that every role of the account allowed kms:* could use it.
    if (id === Stack.of(key).account) {
      throw validationError('OwnAccountAsCrossAccount', `crossAccountIds includes "${id}", the key's own account: that would let every principal `
        + 'of the account whose IAM policy allows it use the key. Name the roles in keyUsers (or grant them), and keep crossAccountIds for other accounts.', key);
    }
  }
  for (const service of options.viaServices ?? []) {
    if (!/^[a-z0-9-]+$/.test(service)) {
      throw validationError('InvalidViaService',
        `viaServices includes "${service}": name a service by its endpoint prefix, such as "s3", "rds" or "secretsmanager".`, key);
    }
  }
}

