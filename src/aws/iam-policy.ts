/**
 * Who can do what under which condition, for resource policies (key, bucket, secret policies)
 * written as CloudFormation JSON. One module for the KMS, S3 and Secrets Manager rules and for the
 * constructs' own checks, so that what a construct refuses and what the gate flags agree.
 *
 * Values that are not literals (intrinsics, references) are unknown: answers are three-valued.
 */
import { ANY_RUN, ArnSetPart, coverEvery, matchSome } from './arn-patterns';
import { andAll, conditionsHold, fixedContext, FixedContext, not, orAll, Picked, Tri, wildcard } from './iam-conditions';
import { accountOf } from './iam-principals';
import { requestsTo } from './iam-request-keys';
import { holdsFor, requestsFor } from './iam-requests';
import { asList, fieldOf as field, hasMacro, intrinsicName, isJsonObject, JsonObject } from './json';
import { appliesToKey } from './key-resources';

export { asList } from './json';

/** One statement of a policy, in CloudFormation JSON. */
export type Statement = JsonObject;

/**
 * The statements of a policy document (`{ Statement: [...] }`), or `undefined` if not a list. An
 * element that is an intrinsic (a macro's output) is a statement only the deployment knows: with
 * `keepUnknown`, it is kept for the readers that can tell it apart (`isUnknownStatement`: it can
 * add a statement, never take another away); without, the statements are not known.
 */
export function statementsOf(document: unknown, keepUnknown = false): Statement[] | undefined {
  const statements = field(document, 'Statement');
  if (isJsonObject(statements) && Object.keys(statements).every(k => !k.startsWith('Fn::') && k !== 'Ref')) {
    return [statements];
  }
  return Array.isArray(statements) && statements.every(s => isJsonObject(s) && (keepUnknown || !isUnknownStatement(s))) ? statements : undefined;
}

/** Whether a statement is an intrinsic or a macro's output: what it says is known only at deploy time. */
export function isUnknownStatement(statement: Statement): boolean {
  return intrinsicName(statement) !== undefined || hasMacro(statement);
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

/**
 * Whether the statement covers *every* action of a service: its `Action` patterns together match
 * every `service:…` name (`s3:*`, `*`), or none of its `NotAction` patterns matches one.
 */
export function coversEveryAction(statement: Statement, service: string): Tri {
  const actionsOfService: ArnSetPart[] = [`${service.toLowerCase()}:`, ANY_RUN];
  const notAction = field(statement, 'NotAction');
  if (notAction !== undefined) {
    if (!literalList(notAction)) {
      return undefined;
    }
    const excluded = matchSome(asList(notAction).map(p => String(p).toLowerCase()), actionsOfService);
    return excluded === undefined ? undefined : !excluded;
  }
  const actions = field(statement, 'Action');
  return literalList(actions) ? coverEvery(asList(actions).map(p => String(p).toLowerCase()), actionsOfService) : undefined;
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
 * from elsewhere) cannot choose freely. A stranger is an account other than the key's own or one the
 * policy names (`StringNotEquals` on one account admits all the others), and picks its own role,
 * user and session names (names are unique only within an account): a principal ARN or unique ID
 * keeps a stranger out only when it names an account or a principal's ID. Keys a request may lack
 * (no organization, no VPC endpoint, not on a service's behalf) are the stranger's choice: absent
 * or their own value. Every other key is free, but for keys of other services than KMS, which a
 * request to a key never carries.
 */
const STRANGER: FixedContext = requestsTo('kms', fixedContext({
  'aws:PrincipalAccount': new Picked('999999999999', notNamed),
  'kms:CallerAccount': new Picked('999999999999', notNamed),
  'aws:PrincipalArn': new Picked('arn:aws:iam::999999999999:role/stranger', inNoNamedAccount),
  'aws:userid': new Picked('AROASTRANGER:stranger', outsideNamedPrefixes(':')),
  'aws:PrincipalOrgID': new Picked('o-stranger0000', notNamed, true),
  'aws:PrincipalOrgPaths': new Picked('o-stranger0000/r-stranger/', outsideNamedPrefixes('/'), true),
  'aws:SourceAccount': new Picked('999999999999', notNamed, true),
  'aws:SourceArn': new Picked('arn:aws:s3:::stranger-bucket', inNoNamedAccount, true),
  'aws:SourceOrgID': new Picked('o-stranger0000', notNamed, true),
  'aws:SourceOrgPaths': new Picked('o-stranger0000/r-stranger/', outsideNamedPrefixes('/'), true),
  'aws:SourceVpce': new Picked('vpce-0stranger', notNamed, true),
  'aws:SourceVpc': new Picked('vpc-0stranger', notNamed, true),
  'aws:PrincipalServiceName': undefined,
  'aws:PrincipalIsAWSService': 'false',
}));

/**
 * An AWS service acting for a stranger's resource (a confused deputy): a service principal, with
 * no principal account, ARN or organization (nor `kms:CallerAccount`, taken as absent: the
 * stricter reading), whose request names the stranger's resource as its source. Which service
 * it is, is free: any of them acts for any account.
 */
const SERVICE_STRANGER: FixedContext = requestsTo('kms', fixedContext({
  'aws:PrincipalAccount': undefined,
  'kms:CallerAccount': undefined,
  'aws:PrincipalArn': undefined,
  'aws:userid': undefined,
  'aws:PrincipalOrgID': undefined,
  'aws:PrincipalOrgPaths': undefined,
  'aws:SourceAccount': new Picked('999999999999', notNamed, true),
  'aws:SourceArn': new Picked('arn:aws:s3:::stranger-bucket', inNoNamedAccount, true),
  'aws:SourceOrgID': new Picked('o-stranger0000', notNamed, true),
  'aws:SourceOrgPaths': new Picked('o-stranger0000/r-stranger/', outsideNamedPrefixes('/'), true),
  'aws:SourceVpce': undefined,
  'aws:SourceVpc': undefined,
  'aws:PrincipalIsAWSService': 'true',
}));

/** Every kind of request a stranger can make to a key. */
const STRANGERS = [STRANGER, SERVICE_STRANGER];

function notNamed(value: string, named: readonly string[]): boolean {
  return !named.includes(value);
}

/** An ARN not named, in no account that an ARN named spells out. */
function inNoNamedAccount(value: string, named: readonly string[]): boolean {
  return notNamed(value, named) && !namedAccounts(named).has(accountOf(value));
}

/** The accounts that principal ARNs named in a condition spell out (no wildcard in the account). */
function namedAccounts(named: readonly string[]): Set<string | undefined> {
  return new Set(named.map(accountOf).filter(a => a !== undefined && a !== '' && !/[*?]/.test(a)));
}

/**
 * A value not named, that starts (up to `separator`) with nothing a value named without a wildcard
 * starts with: not the unique ID (`AROA…` before `:session`) or organization (`o-…` before `/`)
 * of a principal or organization the policy names.
 */
function outsideNamedPrefixes(separator: string): (value: string, named: readonly string[]) => boolean {
  return (value, named) => {
    const prefixes = named.map(v => v.split(separator)[0]).filter(prefix => prefix !== '' && !/[*?]/.test(prefix));
    return notNamed(value, named) && !prefixes.includes(value.split(separator)[0]);
  };
}

/**
 * Whether a stranger can be allowed by this statement: an Allow for everyone whose conditions a
 * caller of another account, or a service acting for one, can satisfy (`kms:ViaService` alone,
 * `...IfExists`, negated operators, `Null` and `StringLike "*"` do not keep a stranger out;
 * `aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:SourceAccount` and the like do). A Deny of
 * the `policy` for everyone that refuses, on the key, every request of one kind of stranger with
 * the Allow's actions takes the Allow away from that kind (`Deny * kms:*` unless
 * `aws:PrincipalAccount` is the key's own, and one for services unless `aws:SourceAccount` is).
 * `partition` is the key's, when its Region tells it (see `appliesToKey`).
 */
export function admitsStrangers(statement: Statement, policy: readonly Statement[] = [], partition?: string): Tri {
  if (!isAllow(statement) || !hasPublicPrincipal(statement)) {
    return false;
  }
  const block = field(statement, 'Condition');
  const guards = policy.filter(deny => isDeny(deny) && hasPublicPrincipal(deny) && field(deny, 'NotPrincipal') === undefined
    && appliesToKey(deny, partition) !== false && coversActionsOf(deny, statement));
  return orAll(STRANGERS.map(context => {
    // Some request of this kind of stranger that the Allow's conditions let in and no Deny's keep out,
    // all asked about the same request (a Deny on `kms:ViaService` may refuse just what the Allow lets in).
    // (A stranger picks among a dozen values per key: four keys make some 10,000 requests; more fall back.)
    const requests = guards.length === 0 ? undefined
      : requestsFor([block, ...guards.map(deny => field(deny, 'Condition'))], key => context.get(key), 32_768);
    if (requests === undefined) {
      // No Deny, or too many requests to list: a Deny counts only when it refuses every request of this kind.
      const refused = guards.some(deny => appliesToKey(deny, partition) === true && conditionsHold(field(deny, 'Condition'), context, 'every') === true);
      return refused ? false : conditionsHold(block, context, 'some');
    }
    return orAll(requests.map(request => andAll([
      holdsFor(block, request),
      ...guards.map(deny => not(andAll([appliesToKey(deny, partition), holdsFor(field(deny, 'Condition'), request)]))),
    ])));
  }));
}

/** Whether a statement covers every action another one names (all KMS actions, for a pattern or `NotAction`). */
function coversActionsOf(statement: Statement, other: Statement): boolean {
  if (coversEveryAction(statement, 'kms') === true) {
    return true;
  }
  const actions = field(other, 'Action');
  return field(other, 'NotAction') === undefined && literalList(actions)
    && asList(actions).every(a => typeof a === 'string' && !/[*?]/.test(a) && coversAction(statement, a) === true);
}

/**
 * Allow statements open to strangers (or possibly so: a value only known at deploy time), each on
 * its own: the constructs refuse such a statement whatever Deny the policy has (stricter than
 * CEG-KMS-2, which credits the Denies; see `admitsStrangers`).
 */
export function publicStatements(statements: Statement[]): Statement[] {
  return statements.filter(s => admitsStrangers(s) !== false);
}

/** A request made directly to KMS, not through an AWS service. */
const DIRECT_CALLS = [
  requestsTo('kms', fixedContext({ 'kms:GrantIsForAWSResource': undefined, 'kms:ViaService': undefined })),
  requestsTo('kms', fixedContext({ 'kms:GrantIsForAWSResource': 'false', 'kms:ViaService': undefined })),
];

/**
 * Allow statements that let a principal create grants directly, not only for AWS resources
 * (`kms:GrantIsForAWSResource` true) or through a service (`kms:ViaService`).
 */
export function unrestrictedCreateGrantStatements(statements: Statement[], partition?: string): Statement[] {
  // A Deny for everyone that holds for every direct call takes CreateGrant from every Allow.
  const deniedForAll = statements.some(s => isDeny(s) && hasPublicPrincipal(s) && field(s, 'NotPrincipal') === undefined
    && coversAction(s, 'kms:CreateGrant') === true && appliesToKey(s, partition) === true
    && DIRECT_CALLS.every(context => conditionsHold(field(s, 'Condition'), context, 'every') === true));
  if (deniedForAll) {
    return [];
  }
  return statements.filter(s => isAllow(s) && coversAction(s, 'kms:CreateGrant') !== false && appliesToKey(s, partition) !== false
    && orAll(DIRECT_CALLS.map(context => conditionsHold(field(s, 'Condition'), context, 'some'))) !== false);
}

/**
 * Whether a Deny statement refuses every request with the fixed keys, for every principal and
 * every action of `service`, on the resources it names (which the caller judges). Keys that a
 * request to `service` never carries are absent (see `requestsTo`).
 */
export function deniesEveryRequest(statement: Statement, service: string, fixed: FixedContext): Tri {
  if (isUnknownStatement(statement)) {
    return undefined;
  }
  if (!isDeny(statement) || !hasPublicPrincipal(statement) || field(statement, 'NotPrincipal') !== undefined) {
    return false;
  }
  return andAll([
    coversEveryAction(statement, service),
    conditionsHold(field(statement, 'Condition'), requestsTo(service, fixed), 'every'),
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
