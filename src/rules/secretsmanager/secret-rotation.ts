import { TargetSpec } from '../../engine/references';
import { FindingLevel, RuleService } from '../../gate/levels';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../rule';

const SECRET: TargetSpec = { types: ['AWS::SecretsManager::Secret'], nameProperty: 'Name', arnResource: 'secret', noun: 'secret' };

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
    const schedules = context.referrers(secret, 'AWS::SecretsManager::RotationSchedule', ['SecretId'], SECRET);
    if (schedules.length === 0) {
      const unknown = context.unknownReferrer(secret.stack, 'AWS::SecretsManager::RotationSchedule', ['SecretId'], SECRET);
      return unknown !== undefined
        ? unresolvable(`No rotation schedule is known to target the secret, and ${unknown}`, 'Properties')
        : nonCompliant('No rotation schedule targets the secret, so it never rotates', 'Properties');
    }
    const complete = schedules.some(s => (s.has('RotationLambdaARN') || s.has('HostedRotationLambda')) && s.has('RotationRules'));
    return complete ? COMPLIANT
      : nonCompliant('The rotation schedule of the secret has no rotation function (RotationLambdaARN or HostedRotationLambda) or no RotationRules', 'Properties');
  },
};
