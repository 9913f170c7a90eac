/**
 * Differential test of `admitsStrangers` (what CEG-KMS-2 and `CmkWithPolicy` call public) against
 * a policy simulator, `@cloud-copilot/iam-simulate`, over random key policy statements for every
 * principal ("*") with random conditions: the gate says a statement admits callers of another
 * account exactly when the simulator allows one of the requests such a caller can make.
 *
 * A caller of another account picks what it controls (the service it calls through, its own
 * organization, whether a source account is set) but not its account: it is one the statement does
 * not name; an AWS service acting for a resource of such an account (a confused deputy) is one
 * too, with a role of any name. The requests tried are every combination of those choices over the values the
 * statements draw from, so that a statement the gate calls open has a request that shows it.
 *
 * One named disagreement, left out of the random statements: `ArnLike` / `ArnNotLike` with a value
 * that is not an ARN pattern (`"*"`). The simulator compares the six parts of an ARN and matches no
 * ARN with `"*"`; the gate takes `"*"` to match every ARN, as a string pattern does, which is the
 * stricter reading for an Allow (a statement it may call open) and is asserted on its own below.
 * And one over-strictness of the gate, left out too: it does not know that every organization ID
 * begins with `o-`, so it takes `StringNotLike aws:PrincipalOrgID o-*` (with the key present) as a
 * condition a stranger's organization can meet; no organization can.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import * as fc from 'fast-check';
import { admitsStrangers } from '../../src/aws/iam-policy';

const OWN = '111111111111';
const KEY_ARN = `arn:aws:kms:eu-west-1:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ACCOUNTS = [OWN, '999999999999', '222222222222'];
/** Accounts a stranger may have: those the statements name, one they never name, one a pattern of ours matches. */
const STRANGERS = ['999999999999', '222222222222', '333333333333', '111100000000'];
const SERVICES = ['s3.eu-west-1.amazonaws.com', 'secretsmanager.eu-west-1.amazonaws.com'];
const ORGS = ['o-ours00000', 'o-stranger0000'];
/** The service that acts for a stranger's resource (which one does not matter: no statement names it). */
const SERVICE_PRINCIPAL = 'logs.amazonaws.com';

/**
 * Each condition key with the literal values a statement may compare it with, and the patterns
 * a `...Like` operator may use besides (under `StringEquals`, `"s3.*"` is a literal no request carries).
 */
const KEYS: Record<string, { literals: string[]; patterns: string[] }> = {
  'aws:PrincipalAccount': { literals: ACCOUNTS, patterns: ['*', '1111*'] },
  'kms:CallerAccount': { literals: ACCOUNTS, patterns: ['*'] },
  'aws:PrincipalOrgID': { literals: ORGS, patterns: ['o-*'] },
  'kms:ViaService': { literals: SERVICES, patterns: ['s3.*', '*'] },
  'aws:SourceAccount': { literals: ACCOUNTS, patterns: ['*'] },
  'aws:PrincipalArn': { literals: [`arn:aws:iam::${OWN}:role/app`], patterns: [`arn:aws:iam::${OWN}:*`, 'arn:aws:iam::*:role/app', '*'] },
  'aws:PrincipalIsAWSService': { literals: ['true', 'false'], patterns: [] },
};
const OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIfExists', 'StringNotEqualsIfExists',
  'StringLikeIfExists', 'StringNotLikeIfExists', 'ArnLike', 'ArnNotLike', 'Null',
];

const condition = fc.tuple(fc.constantFrom(...Object.keys(KEYS)), fc.constantFrom(...OPERATORS)).chain(([key, operator]) => fc.record({
  operator: fc.constant(operator),
  key: fc.constant(key),
  values: (pool => fc.subarray(pool, { minLength: 1, maxLength: Math.min(2, pool.length) }))(operator.includes('Like') ? [...KEYS[key].literals, ...KEYS[key].patterns] : KEYS[key].literals),
  nullValue: fc.constantFrom('true', 'false'),
}));

const statement = fc.record({
  action: fc.constantFrom('kms:Decrypt', 'kms:*', 'kms:GenerateDataKey*'),
  principal: fc.constantFrom<unknown>('*', { AWS: '*' }),
  conditions: fc.array(condition, { maxLength: 3 }),
}).map(({ action, principal, conditions }) => {
  const block: Record<string, Record<string, string | string[]>> = {};
  for (const c of conditions) {
    // ARN operators only on ARN keys, with ARN patterns (see the disagreement below); one entry
    // per operator and key, as JSON has it.
    const arns = c.values.filter(v => v.startsWith('arn:'));
    const operator = c.operator.startsWith('Arn') && arns.length === 0 ? c.operator.replace('Arn', 'String') : c.operator;
    const values = operator.startsWith('Arn') ? arns : c.values;
    block[operator] = { ...block[operator], [c.key]: operator === 'Null' ? c.nullValue : values.length === 1 ? values[0] : values };
  }
  return { Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...(conditions.length > 0 ? { Condition: block } : {}) };
});

/** The literal values a statement's conditions name. */
function named(s: { Condition?: Record<string, Record<string, string | string[]>> }): Set<string> {
  return new Set(Object.values(s.Condition ?? {}).flatMap(entries => Object.values(entries).flat()));
}

/**
 * Every request a caller of another account can make: choices it controls, over an account the
 * statement does not name; and every request an AWS service makes acting for a resource of such
 * an account (no principal account, ARN or organization; the source account is the stranger's).
 */
function strangerContexts(s: { Condition?: Record<string, Record<string, string | string[]>> }): Array<Record<string, string>> {
  const contexts: Array<Record<string, string>> = [];
  for (const account of STRANGERS.filter(a => !named(s).has(a))) {
    for (const via of [undefined, ...SERVICES, 's3.us-east-1.amazonaws.com', 'ec2.eu-west-1.amazonaws.com']) {
      for (const source of [undefined, account]) {
        contexts.push({
          'aws:PrincipalIsAWSService': 'true',
          'aws:PrincipalServiceName': SERVICE_PRINCIPAL,
          'aws:SecureTransport': 'true',
          ...(via === undefined ? {} : { 'kms:ViaService': via }),
          ...(source === undefined ? {} : { 'aws:SourceAccount': source }),
        });
      }
    }
    for (const principal of [`arn:aws:iam::${account}:role/app`, `arn:aws:iam::${account}:role/stranger`]) {
      for (const org of [undefined, ...['o-stranger0000', 'o-other00000'].filter(o => !named(s).has(o))]) {
        for (const via of [undefined, ...SERVICES, 's3.us-east-1.amazonaws.com', 'ec2.eu-west-1.amazonaws.com']) {
          for (const source of [undefined, account]) {
            contexts.push({
              'aws:PrincipalAccount': account,
              'kms:CallerAccount': account,
              'aws:PrincipalArn': principal,
              'aws:PrincipalIsAWSService': 'false',
              'aws:SecureTransport': 'true',
              ...(org === undefined ? {} : { 'aws:PrincipalOrgID': org }),
              ...(via === undefined ? {} : { 'kms:ViaService': via }),
              ...(source === undefined ? {} : { 'aws:SourceAccount': source }),
            });
          }
        }
      }
    }
  }
  return contexts;
}

type Written = { Action: string; Condition?: Record<string, Record<string, string | string[]>> };

async function simulatorAdmitsStrangers(s: Written, denies: Written[] = []): Promise<boolean> {
  const action = s.Action === 'kms:*' ? 'kms:Decrypt' : s.Action === 'kms:GenerateDataKey*' ? 'kms:GenerateDataKey' : s.Action;
  // A stranger's account is one no statement of the policy names.
  const everyCondition = { Condition: Object.assign({}, ...[s, ...denies].map((d, i) => Object.fromEntries(Object.entries(d.Condition ?? {}).map(([k, v]) => [`${k}#${i}`, v])))) };
  for (const context of strangerContexts(everyCondition)) {
    const service = context['aws:PrincipalIsAWSService'] === 'true';
    const response = await runSimulation({
      request: { principal: service ? SERVICE_PRINCIPAL : context['aws:PrincipalArn'], action, resource: { resource: KEY_ARN, accountId: OWN }, contextVariables: context },
      // The stranger's own account lets it do anything: only the key policy stands in the way (a service has no identity policy).
      identityPolicies: service ? [] : [{ name: 'all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: { Version: '2012-10-17', Statement: [s, ...denies] },
    } as never, {});
    if (response.resultType === 'error') {
      throw new Error(`The simulator refused ${JSON.stringify(s)}: ${JSON.stringify(response.errors)}`);
    }
    if (response.overallResult === 'Allowed') {
      return true;
    }
  }
  return false;
}

test('admitsStrangers agrees with the policy simulator on random public key policy statements', async () => {
  await fc.assert(fc.asyncProperty(statement, async s => {
    fc.pre(!Object.entries(s.Condition ?? {}).some(([operator, entries]) => /NotLike/.test(operator) && [entries['aws:PrincipalOrgID']].flat().includes('o-*')));
    expect({ statement: s, open: admitsStrangers(s as never) }).toEqual({ statement: s, open: await simulatorAdmitsStrangers(s) });
  }), { numRuns: 1000, seed: Number(process.env.DIFF_SEED ?? 20261202) });
}, 120_000);

/** Denies for everyone of every KMS action, or of the one the Allow gives, under random conditions. */
const denies = fc.array(fc.tuple(statement, fc.constantFrom('kms:*', 'kms:Decrypt', '*')).map(([d, action]) => ({ ...d, Effect: 'Deny', Principal: '*', Action: action })), { maxLength: 2 });

test('with the policy\'s Denies, admitsStrangers agrees with the policy simulator', async () => {
  const skipped = (s: Written) => Object.entries(s.Condition ?? {}).some(([operator, entries]) => /NotLike/.test(operator) && [entries['aws:PrincipalOrgID']].flat().includes('o-*'));
  await fc.assert(fc.asyncProperty(statement.map(s => ({ ...s, Action: 'kms:Decrypt' })), denies, async (s, ds) => {
    // In a Deny, `o-*` on the organization is the same over-strictness as `NotLike o-*` in an Allow.
    fc.pre(!skipped(s) && !ds.some(d => JSON.stringify(d.Condition ?? {}).includes('"o-*"')));
    expect({ statement: s, denies: ds, open: admitsStrangers(s as never, [s, ...ds] as never) })
      .toEqual({ statement: s, denies: ds, open: await simulatorAdmitsStrangers(s, ds) });
  }), { numRuns: 300, seed: Number(process.env.DIFF_SEED ?? 20261202) });
}, 120_000);

test('named disagreement: ArnLike "*" on aws:PrincipalArn matches every ARN for the gate (the simulator matches none)', async () => {
  const open = { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': '*' } } };
  expect(admitsStrangers(open as never)).toBe(true);
  expect(await simulatorAdmitsStrangers(open)).toBe(false);
});
