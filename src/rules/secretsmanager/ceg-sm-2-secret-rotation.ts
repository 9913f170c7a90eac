import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { RuleContext, TargetSpec } from '../../engine/rule-context';
import { known, Reading } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

const SCHEDULE = 'AWS::SecretsManager::RotationSchedule';
const ATTACHMENT = 'AWS::SecretsManager::SecretTargetAttachment';
const SECRET: TargetSpec = { types: ['AWS::SecretsManager::Secret'], nameProperty: 'Name', arnResource: 'secret', noun: 'secret' };
/** What a rotation schedule's SecretId names: the secret, or its attachment (whose Ref is the secret's ARN). */
const TARGET: TargetSpec = { ...SECRET, types: ['AWS::SecretsManager::Secret', ATTACHMENT] };

/** CEG-SM-2: a rotation schedule with a rotation function and rules targets the secret. */
export const secretRotation: Rule = {
  id: 'CEG-SM-2',
  service: RuleService.SECRETS_MANAGER,
  title: 'Secrets rotate automatically (a rotation schedule with a function and rules targets them)',
  rationale:
    'A credential that never changes stays valid for as long as anyone who ever saw it wants. A rotation schedule without a '
    + 'function or without rules never runs.',
  fix: 'Use `RotatingSecret`, or call `secret.addRotationSchedule(...)` with `hostedRotation` or `rotationLambda` and `automaticallyAfter`; '
    + 'acknowledge the finding for secrets that cannot rotate (third-party API keys), with the reason.',
  resourceTypes: ['AWS::SecretsManager::Secret'],
  defaultLevel: FindingLevel.ERROR,

  check(secret, context) {
    const schedules = rotationSchedules(context, secret);
    if (!schedules.known) {
      return unresolvable(`No rotation schedule is known to target the secret, and ${schedules.why}`, 'Properties');
    }
    if (schedules.value.length === 0) {
      return nonCompliant('No rotation schedule targets the secret (directly or through its attachment to a database), so it never rotates', 'Properties');
    }
    const complete = schedules.value.some(s => (s.has('RotationLambdaARN') || s.has('HostedRotationLambda')) && s.has('RotationRules'));
    return complete ? COMPLIANT
      : nonCompliant('The rotation schedule of the secret has no rotation function (RotationLambdaARN or HostedRotationLambda) or no RotationRules', 'Properties');
  },
};

/**
 * The rotation schedules that target the secret in its world: directly, or through an
 * `AWS::SecretsManager::SecretTargetAttachment` of it (whose `Ref` is the secret's ARN), which is
 * what `addRotationSingleUser` renders so that the first rotation finds the database's host.
 */
function rotationSchedules(context: RuleContext, secret: ResourceView): Reading<ResourceView[]> {
  const direct = context.referrers(secret, SCHEDULE, ['SecretId'], TARGET);
  if (!direct.known) {
    return direct;
  }
  const attachments = context.referrers(secret, ATTACHMENT, ['SecretId'], SECRET);
  if (!attachments.known) {
    return attachments;
  }
  const all = [...direct.value];
  for (const attachment of attachments.value) {
    const through = context.referrers(attachment, SCHEDULE, ['SecretId'], TARGET);
    if (!through.known) {
      return through;
    }
    all.push(...through.value);
  }
  return known(all);
}
