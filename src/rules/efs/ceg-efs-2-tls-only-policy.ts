import { andAll, conditionsHold, fixedContext, orAll, Tri, wildcard } from '../../aws/iam-conditions';
import { asList, coversAction, describeStatement, hasPublicPrincipal, isDeny, Statement, statementsOf } from '../../aws/iam-policy';
import { fieldOf } from '../../aws/json';
import { environmentOf } from '../../engine/app-index';
import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, Rule, unresolvable, unresolvableField } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

const LOCATION = 'Properties.FileSystemPolicy';
const WITHOUT_TLS = fixedContext({ 'aws:SecureTransport': 'false' });

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
    const statements = statementsOf(policy.value);
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
  if (!isDeny(statement) || !hasPublicPrincipal(statement) || fieldOf(statement, 'NotPrincipal') !== undefined || fieldOf(statement, 'NotResource') !== undefined) {
    return false;
  }
  const resources = asList(fieldOf(statement, 'Resource'));
  return andAll([
    coversAction(statement, 'elasticfilesystem:ClientMount'),
    resources.length === 0 ? true : orAll(resources.map(r => coversFileSystem(r, fileSystem))),
    conditionsHold(fieldOf(statement, 'Condition'), WITHOUT_TLS, 'every'),
  ]);
}

/**
 * Whether a `Resource` entry of the file system's own policy covers it. The policy cannot refer to
 * its own file system (that would be a circular reference), so a literal pattern must match any
 * file system of the stack's account and Region.
 */
function coversFileSystem(entry: unknown, fileSystem: ResourceView): Tri {
  if (typeof entry !== 'string') {
    return undefined;
  }
  const env = environmentOf(fileSystem.stack);
  const arn = `arn:aws:elasticfilesystem:${env.region ?? 'ceg-region'}:${env.account ?? '000000000000'}:file-system/fs-0ceg0any0file0sys`;
  if (wildcard(entry).test(arn)) {
    return true;
  }
  return /^arn:[^:]*:elasticfilesystem:/.test(entry) && (env.region === undefined || env.account === undefined) ? undefined : false;
}
