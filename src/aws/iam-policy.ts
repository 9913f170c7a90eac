/**
 * Who can do what under which condition, for resource policies (key, bucket, secret policies)
 * written as CloudFormation JSON. One module for the KMS, S3 and Secrets Manager rules and for the
 * constructs' own checks, so that what a construct refuses and what the gate flags agree.
 *
 * Values that are not literals (intrinsics, references) are unknown: answers are three-valued.
 */
import { absentOr, andAll, conditionsHold, fixedContext, FixedContext, orAll, Tri, wildcard } from './iam-conditions';
import { asList, fieldOf as field, isJsonObject, JsonObject } from './json';

export { asList } from './json';

/** One statement of a policy, in CloudFormation JSON. */
export type Statement = JsonObject;

/** The statements of a policy document (`{ Statement: [...] }`), or `undefined` if not a list. */
export function statementsOf(document: unknown): Statement[] | undefined {
  const statements = field(document, 'Statement');
  if (isJsonObject(statements) && Object.keys(statements).every(k => !k.startsWith('Fn::') && k !== 'Ref')) {
    return [statements];
  }
  return Array.isArray(statements) && statements.every(isJsonObject) ? statements : undefined;
}

export function isAllow(statement: Statement): boolean {
  return field(statement, 'Effect') === 'Allow';
}

export function isDeny(statement: Statement): boolean {
  return field(statement, 'Effect') === 'Deny';
}

/** Whether an action pattern (`kms:*`, `kms:Put*`, `*`) covers an action (case-insensitive). */
export function actionMatches(pattern: unknown, action: string): boolean {
  return typeof pattern === 'string' && wildcard(pattern.toLowerCase()).test(action.toLowerCase());
}

/** Whether the statement applies to an action (`Action`, or everything but `NotAction`). */
export function coversAction(statement: Statement, action: string): Tri {
  const notAction = field(statement, 'NotAction');
  if (notAction !== undefined) {
    return literalList(notAction) ? !asList(notAction).some(p => actionMatches(p, action)) : undefined;
  }
  const actions = field(statement, 'Action');
  return literalList(actions) ? asList(actions).some(p => actionMatches(p, action)) : undefined;
}

/** Whether the statement covers *every* action of a service (`s3:*` or `*`). */
export function coversEveryAction(statement: Statement, service: string): Tri {
  if (field(statement, 'NotAction') !== undefined) {
    return false;
  }
  const actions = field(statement, 'Action');
  return literalList(actions) ? asList(actions).some(p => p === '*' || (typeof p === 'string' && p.toLowerCase() === `${service}:*`)) : undefined;
}

/** Whether the statement's principal is everyone (`*`, `{ AWS: '*' }`) — `NotPrincipal` counts as almost everyone. */
export function hasPublicPrincipal(statement: Statement): boolean {
  if (field(statement, 'NotPrincipal') !== undefined) {
    return true;
  }
  const principal = field(statement, 'Principal');
  return principal === '*' || asList(field(principal, 'AWS')).some(p => p === '*');
}

/**
 * Keys whose values a stranger (a principal of another account, outside our organization, calling
 * from elsewhere) cannot choose: fixed to a stranger's values. Keys a request may lack (no
 * organization, no VPC endpoint, not on a service's behalf) are the stranger's choice: absent or
 * their own value. Every other key is free.
 */
const STRANGER: FixedContext = fixedContext({
  'aws:PrincipalAccount': '999999999999',
  'kms:CallerAccount': '999999999999',
  'aws:PrincipalArn': 'arn:aws:iam::999999999999:role/stranger',
  'aws:userid': 'AROASTRANGER:stranger',
  'aws:PrincipalOrgID': absentOr('o-stranger0000'),
  'aws:PrincipalOrgPaths': absentOr('o-stranger0000/r-stranger/'),
  'aws:SourceAccount': absentOr('999999999999'),
  'aws:SourceArn': absentOr('arn:aws:s3:::stranger-bucket'),
  'aws:SourceOrgID': absentOr('o-stranger0000'),
  'aws:SourceOrgPaths': absentOr('o-stranger0000/r-stranger/'),
  'aws:SourceVpce': absentOr('vpce-0stranger'),
  'aws:SourceVpc': absentOr('vpc-0stranger'),
  'aws:username': absentOr('stranger'),
  'aws:PrincipalServiceName': undefined,
  'aws:PrincipalIsAWSService': 'false',
});

/**
 * Whether a stranger can be allowed by this statement: an Allow for everyone whose conditions a
 * caller of another account can satisfy (`kms:ViaService` alone, `...IfExists`, negated
 * operators, `Null` and `StringLike "*"` do not keep a stranger out; `aws:PrincipalAccount`,
 * `aws:PrincipalOrgID`, `aws:SourceAccount` and the like do).
 */
export function admitsStrangers(statement: Statement): Tri {
  if (!isAllow(statement) || !hasPublicPrincipal(statement)) {
    return false;
  }
  return conditionsHold(field(statement, 'Condition'), STRANGER, 'some');
}

/** Allow statements open to strangers (or possibly so: a value only known at deploy time). */
export function publicStatements(statements: Statement[]): Statement[] {
  return statements.filter(s => admitsStrangers(s) !== false);
}

/**
 * Whether someone can change the key policy (`kms:PutKeyPolicy`), hence manage the key: an Allow
 * for a named principal, not cancelled for every request by a Deny that covers that principal.
 */
export function hasAdministrator(statements: Statement[]): Tri {
  const allows = statements.filter(s => isAllow(s) && field(s, 'Principal') !== undefined && coversAction(s, 'kms:PutKeyPolicy') !== false);
  return orAll(allows.map(allow => {
    const denied = orAll(statements.filter(isDeny).map(deny => andAll([
      coversPrincipal(deny, field(allow, 'Principal')),
      coversAction(deny, 'kms:PutKeyPolicy'),
      conditionsHold(field(deny, 'Condition'), new Map(), 'every'),
    ])));
    return andAll([coversAction(allow, 'kms:PutKeyPolicy'), denied === undefined ? undefined : !denied]);
  }));
}

/** Whether a Deny's principal includes every principal named by `principal`. */
function coversPrincipal(deny: Statement, principal: unknown): Tri {
  if (field(deny, 'NotPrincipal') !== undefined) {
    return undefined;
  }
  if (hasPublicPrincipal(deny)) {
    return true;
  }
  return JSON.stringify(field(deny, 'Principal')) === JSON.stringify(principal);
}

/** A request made directly to KMS, not through an AWS service. */
const DIRECT_CALLS = [
  fixedContext({ 'kms:GrantIsForAWSResource': undefined, 'kms:ViaService': undefined }),
  fixedContext({ 'kms:GrantIsForAWSResource': 'false', 'kms:ViaService': undefined }),
];

/**
 * Allow statements that let a principal create grants directly, not only for AWS resources
 * (`kms:GrantIsForAWSResource` true) or through a service (`kms:ViaService`).
 */
export function unrestrictedCreateGrantStatements(statements: Statement[]): Statement[] {
  // A Deny for everyone that holds for every direct call takes CreateGrant from every Allow.
  const deniedForAll = statements.some(s => isDeny(s) && hasPublicPrincipal(s) && field(s, 'NotPrincipal') === undefined
    && coversAction(s, 'kms:CreateGrant') === true
    && DIRECT_CALLS.every(context => conditionsHold(field(s, 'Condition'), context, 'every') === true));
  if (deniedForAll) {
    return [];
  }
  return statements.filter(s => isAllow(s) && coversAction(s, 'kms:CreateGrant') !== false
    && orAll(DIRECT_CALLS.map(context => conditionsHold(field(s, 'Condition'), context, 'some'))) !== false);
}

/**
 * Whether a Deny statement refuses every request with the fixed keys, for every principal, every
 * action of `service`, and the resources `resource` accepts.
 */
export function deniesEveryRequest(statement: Statement, service: string, fixed: FixedContext, resource: (entries: unknown[]) => Tri): Tri {
  if (!isDeny(statement) || !hasPublicPrincipal(statement) || field(statement, 'NotPrincipal') !== undefined) {
    return false;
  }
  if (field(statement, 'NotResource') !== undefined) {
    return false;
  }
  return andAll([
    coversEveryAction(statement, service),
    resource(asList(field(statement, 'Resource'))),
    conditionsHold(field(statement, 'Condition'), fixed, 'every'),
  ]);
}

/** A short label for a statement in messages: its Sid, or its position. */
export function describeStatement(statement: Statement, statements: Statement[]): string {
  const sid = field(statement, 'Sid');
  return typeof sid === 'string' ? `statement "${sid}"` : `statement #${statements.indexOf(statement)}`;
}

function literalList(value: unknown): boolean {
  return asList(value).every(v => typeof v === 'string');
}

export { fixedContext, Tri } from './iam-conditions';
