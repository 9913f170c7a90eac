/**
 * Reading IAM policy statements (as CloudFormation JSON): key policies, shared by the KMS rules and
 * the KMS constructs so that what a construct refuses and what the gate flags are decided by one
 * code, and bucket policies, read by the S3 rules.
 */
export { asList } from './json';
import { asList, fieldOf as field, intrinsicName, isJsonObject as isObject, JsonObject } from './json';

/**
 * Condition keys that limit *who* can use a statement: with one of them, a `*` principal is
 * narrowed to an account, organization, ARN, service or network path.
 */
const LIMITING_CONDITION_KEYS = new Set([
  'aws:principalaccount', 'aws:principalarn', 'aws:principalorgid', 'aws:principalorgpaths',
  'aws:principalservicename', 'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid',
  'aws:sourceorgpaths', 'aws:sourcevpce', 'aws:sourcevpc', 'aws:userid', 'aws:username',
  'kms:calleraccount', 'kms:viaservice',
]);

/** Actions that let a principal change the key policy, hence manage the key. */
const POLICY_ADMIN_ACTIONS = ['kms:putkeypolicy'];

/** One statement of a policy, in CloudFormation JSON. */
export type Statement = JsonObject;

/** The statements of a policy document (`{ Statement: [...] }`), or `undefined` if not a list. */
export function statementsOf(document: unknown): Statement[] | undefined {
  const statements = field(document, 'Statement');
  if (isObject(statements) && intrinsicName(statements) === undefined) {
    return [statements];
  }
  return Array.isArray(statements) ? statements.filter(isObject) : undefined;
}


function isAllow(statement: Statement): boolean {
  return field(statement, 'Effect') === 'Allow';
}

/** Whether an action pattern (`kms:*`, `kms:Put*`, `*`) covers an action. */
export function actionMatches(pattern: unknown, action: string): boolean {
  if (typeof pattern !== 'string') {
    return false;
  }
  let regex = PATTERNS.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    PATTERNS.set(pattern, regex);
  }
  return regex.test(action);
}

/** Compiled action patterns: a few dozen distinct ones in any app. */
const PATTERNS = new Map<string, RegExp>();

function allowsAction(statement: Statement, action: string): boolean {
  if (field(statement, 'NotAction') !== undefined) {
    // NotAction allows everything it does not list.
    return !asList(field(statement, 'NotAction')).some(p => actionMatches(p, action));
  }
  return asList(field(statement, 'Action')).some(p => actionMatches(p, action));
}

/** Whether the statement's principal includes everyone (`*` or `{ AWS: '*' }`). */
export function hasPublicPrincipal(statement: Statement): boolean {
  const principal = field(statement, 'Principal');
  if (principal === '*') {
    return true;
  }
  return asList(field(principal, 'AWS')).some(p => p === '*');
}

/** Whether the statement's conditions narrow who can use it. */
export function hasLimitingCondition(statement: Statement): boolean {
  const conditions = field(statement, 'Condition');
  if (!isObject(conditions)) {
    return false;
  }
  return Object.values(conditions).some(operator =>
    isObject(operator) && Object.keys(operator).some(key => LIMITING_CONDITION_KEYS.has(key.toLowerCase())));
}

/** Allow statements open to everyone without a condition that narrows who. */
export function publicStatements(statements: Statement[]): Statement[] {
  return statements.filter(s => isAllow(s) && hasPublicPrincipal(s) && !hasLimitingCondition(s));
}

/** Whether some Allow statement lets a principal change the key policy (a key administrator). */
export function hasAdministrator(statements: Statement[]): boolean {
  return statements.some(s => isAllow(s) && field(s, 'Principal') !== undefined && POLICY_ADMIN_ACTIONS.some(a => allowsAction(s, a)));
}

/** Allow statements that grant `kms:CreateGrant` without requiring `kms:GrantIsForAWSResource`. */
export function unrestrictedCreateGrantStatements(statements: Statement[]): Statement[] {
  return statements.filter(s => isAllow(s) && allowsAction(s, 'kms:CreateGrant') && !requiresGrantForAwsResource(s));
}

/**
 * Whether grants are limited to AWS services acting for the caller: `kms:GrantIsForAWSResource`
 * true, or `kms:ViaService` (the call comes through that service, as Secrets Manager's does).
 */
function requiresGrantForAwsResource(statement: Statement): boolean {
  const conditions = field(statement, 'Condition');
  const value = field(field(conditions, 'Bool'), 'kms:GrantIsForAWSResource');
  if (value === true || value === 'true') {
    return true;
  }
  return isObject(conditions) && Object.values(conditions).some(operator => field(operator, 'kms:ViaService') !== undefined);
}

/** A short label for a statement in messages: its Sid, or its position. */
export function describeStatement(statement: Statement, statements: Statement[]): string {
  const sid = field(statement, 'Sid');
  return typeof sid === 'string' ? `statement "${sid}"` : `statement #${statements.indexOf(statement)}`;
}
