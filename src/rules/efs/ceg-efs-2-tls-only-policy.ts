import { ANY_RUN, arnPatternOf, coverEvery, opaqueValue } from '../../aws/arn-patterns';
import { andAll, conditionsHold, fixedContext, orAll, Tri } from '../../aws/iam-conditions';
import { asList, coversAction, describeStatement, hasPublicPrincipal, isDeny, isUnknownStatement, Statement, statementsOf } from '../../aws/iam-policy';
import { requestsTo } from '../../aws/iam-request-keys';
import { fieldOf } from '../../aws/json';
import { environmentOf } from '../../engine/environments';
import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, Rule, unresolvable, unresolvableField } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

const LOCATION = 'Properties.FileSystemPolicy';
/** A mount without TLS: keys of other services than EFS are never on it. */
const WITHOUT_TLS = requestsTo('elasticfilesystem', fixedContext({ 'aws:SecureTransport': 'false' }));

/**
 * CEG-EFS-2: the file system policy refuses clients that do not use TLS: a Deny, for every
 * principal, of `elasticfilesystem:ClientMount` (a client that cannot mount can neither read nor
 * write) whenever `aws:SecureTransport` is false.
 */
export const tlsOnlyPolicy: Rule = {
  id: 'CEG-EFS-2',
  service: RuleService.EFS,
  title: 'EFS file system policies deny clients that do not use TLS (aws:SecureTransport false)',
  rationale:
    'NFS traffic to a mount target is unencrypted unless the client mounts with TLS (`mount -t efs -o tls`). Only a file system policy that '
    + 'denies access when `aws:SecureTransport` is false makes every client use TLS.',
  fix: 'Add to `fileSystemPolicy` (or with `fileSystem.addToResourcePolicy`) a statement that denies `elasticfilesystem:ClientMount` (or `*`) '
    + 'to `AnyPrincipal` when `Bool: { aws:SecureTransport: false }`; on an L1, put it in `FileSystemPolicy`. Clients then mount with the '
    + 'EFS mount helper\'s `tls` option.',
  resourceTypes: ['AWS::EFS::FileSystem'],
  defaultLevel: FindingLevel.WARNING,

  check(fileSystem) {
    const policy = fileSystem.object('FileSystemPolicy');
    if (!policy.known) {
      return unresolvableField(policy);
    }
    if (policy.value === undefined) {
      return nonCompliant('The file system has no FileSystemPolicy, so clients may mount it without TLS', LOCATION);
    }
    // A statement a macro returns cannot take a Deny away: the others still tell what they deny.
    const statements = statementsOf(policy.value, true);
    if (statements === undefined) {
      return unresolvable('The statements of FileSystemPolicy are not a list known at synth time', LOCATION);
    }
    const denies = orAll(statements.map(s => deniesMountWithoutTls(s, fileSystem)));
    if (denies === undefined) {
      const open = statements.filter(s => deniesMountWithoutTls(s, fileSystem) === undefined).map(s => describeStatement(s, statements));
      return unresolvable(`Whether ${open.join(', ')} of FileSystemPolicy denies clients without TLS depends on values known only at deploy time`, LOCATION);
    }
    return denies ? COMPLIANT
      : nonCompliant('No statement of FileSystemPolicy denies elasticfilesystem:ClientMount to every principal for every request without TLS (aws:SecureTransport false)', LOCATION);
  },
};

function deniesMountWithoutTls(statement: Statement, fileSystem: ResourceView): Tri {
  if (isUnknownStatement(statement)) {
    return undefined;
  }
  if (!isDeny(statement) || !hasPublicPrincipal(statement) || fieldOf(statement, 'NotPrincipal') !== undefined || fieldOf(statement, 'NotResource') !== undefined) {
    return false;
  }
  const resources = asList(fieldOf(statement, 'Resource'));
  return andAll([
    coversAction(statement, 'elasticfilesystem:ClientMount'),
    resources.length === 0 ? true : coversFileSystem(resources, fileSystem),
    conditionsHold(fieldOf(statement, 'Condition'), WITHOUT_TLS, 'every'),
  ]);
}

/** The stack's Region and account in patterns when the stack does not name them: one deploy-time value each. */
const REGION = opaqueValue(1);
const ACCOUNT = opaqueValue(2);

/**
 * Whether the `Resource` entries of a statement of the file system's own policy cover it. The
 * policy cannot refer to its own file system (that would be a circular reference), so the
 * patterns must match every file system ID of the stack's account and Region; `AWS::Region` and
 * `AWS::AccountId` in them are the stack's own. EFS makes every ID `fs-` and more characters, so
 * `file-system/fs-?*` covers them all as `file-system/*` does.
 */
function coversFileSystem(entries: unknown[], fileSystem: ResourceView): Tri {
  const env = environmentOf(fileSystem.stack);
  const region = env.region ?? REGION;
  const account = env.account ?? ACCOUNT;
  const pseudo: { [name: string]: string } = { 'AWS::Partition': 'aws', 'AWS::Region': region, 'AWS::AccountId': account, 'AWS::URLSuffix': 'amazonaws.com' };
  const patterns: string[] = [];
  let unknownEntry = false;
  for (const entry of entries) {
    const pattern = arnPatternOf(entry, name => pseudo[name]);
    if (pattern === undefined) {
      unknownEntry = true;
    } else {
      patterns.push(pattern);
    }
  }
  const covered = coverEvery(patterns, [`arn:aws:elasticfilesystem:${region}:${account}:file-system/fs-`, ANY_RUN]);
  if (covered !== false) {
    return covered;
  }
  // A literal Region or account in the pattern, in a stack that names neither: the deployment tells.
  const envUnknown = env.region === undefined || env.account === undefined;
  return unknownEntry || (envUnknown && patterns.some(p => /^arn:[^:]*:elasticfilesystem:/.test(p))) ? undefined : false;
}
