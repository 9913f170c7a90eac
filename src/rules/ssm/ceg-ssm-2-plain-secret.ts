import { FLAG, secretKeyIn } from './secret-assignments';
import { namedLikeSecret } from './secret-words';
import { isResourceReference } from '../../engine/resource-reference';
import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { RuleContext } from '../../engine/rule-context';
import { intrinsicName, isObject, JsonObject, whyUnknown } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { templateTypeOf } from '../../private/cdk-internals';

/** Values that are secrets whatever the name says. */
const SECRET_VALUES: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a PEM private key' },
  { pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, what: 'an AWS access key ID' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, what: 'a GitHub token' },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, what: 'a Slack token' },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, what: 'a JSON Web Token' },
  { pattern: /\b(sk|rk)_(live|test)_[A-Za-z0-9]{16,}/, what: 'a Stripe key' },
  { pattern: /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, what: 'a URL with a password' },
  { pattern: /\{\{resolve:(secretsmanager|ssm-secure):/, what: 'a dynamic reference to a secret (CloudFormation copies the secret into the plain parameter)' },
];

/** Attributes of resources that are secrets themselves. */
const SECRET_ATTRIBUTES: { [type: string]: string[] } = {
  'AWS::IAM::AccessKey': ['SecretAccessKey'],
  'AWS::IAM::ServiceSpecificCredential': ['ServicePassword'],
  'AWS::Cognito::UserPoolClient': ['ClientSecret'],
  'AWS::AppSync::ApiKey': ['ApiKey'],
};

const MAX_VALUE = 8192;

/**
 * Resources whose attributes are whatever their code or template returns: custom resources, nested
 * stacks' outputs. Narrower than the engine's `carriesValues`, which also counts wait conditions,
 * Parameter Store values and unknown types because a reference to them may name a resource of
 * any type; here only an attribute whose name the user's code chose is read as a name.
 */
function returnsAnyValue(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource' || type === 'AWS::CloudFormation::Stack';
}


/**
 * The literal text of a name built with `Fn::Join` or `Fn::Sub` (`/app/${Env}/db-password`), each
 * part known only at deploy time as a separator; `undefined` for any other value.
 */
function literalText(name: unknown): string | undefined {
  if (typeof name === 'string') {
    return name;
  }
  const fn = intrinsicName(name);
  const args = fn === undefined ? undefined : (name as JsonObject)[fn];
  if (fn === 'Fn::Join' && Array.isArray(args) && typeof args[0] === 'string' && Array.isArray(args[1])) {
    return (args[1] as unknown[]).map(part => literalText(part) ?? '/').join(args[0]);
  }
  const template = fn === 'Fn::Sub' ? (Array.isArray(args) ? args[0] : args) : undefined;
  return typeof template === 'string' ? template.replace(/\$\{[^}]*\}/g, '/') : undefined;
}

/** CEG-SSM-2: a plain `String`/`StringList` parameter does not hold what looks like a secret. */
export const plainSecret: Rule = {
  id: 'CEG-SSM-2',
  service: RuleService.SSM,
  title: 'Plain Parameter Store parameters do not hold secrets (a name or value that looks like a password, token, key or credentials)',
  rationale:
    'A `String` parameter is stored unencrypted, readable by anyone with `ssm:GetParameter` and shown in the template, the console and the '
    + 'stack\'s history. Passwords, tokens, keys and credentials belong in a SecureString or in Secrets Manager.',
  fix: 'Use `SecureStringParameter` of this library (a SecureString under a customer managed key, its value generated or copied from a '
    + 'Secrets Manager secret, never in the template), or a Secrets Manager secret; acknowledge the finding where the name only looks like a '
    + 'secret (a public key, a token endpoint), with the reason.',
  resourceTypes: ['AWS::SSM::Parameter'],
  defaultLevel: FindingLevel.WARNING,

  check(parameter, context) {
    const type = parameter.string('Type');
    if (!type.known) {
      return unresolvable(type.why, type.location);
    }
    if (type.value !== 'String' && type.value !== 'StringList') {
      return COMPLIANT;
    }
    const name = parameter.read('Name');
    const literalName = typeof name === 'string' ? name : undefined;
    // A name built around deploy-time values is judged by its literal words.
    const nameText = literalText(name);
    // A `...-pass` parameter whose whole value is a flag holds a result (`/ci/test-pass` = `true`).
    const passFlag = typeof parameter.read('Value') === 'string' && FLAG.test((parameter.read('Value') as string).trim()) && /pass[^a-z]*$/i.test(nameText ?? '');
    if (nameText !== undefined && namedLikeSecret(nameText) && !passFlag) {
      return nonCompliant(`The ${type.value} parameter "${literalName ?? nameText.replace(/\/\/+/g, '/<deploy-time>/')}" is named like a secret, but a plain `
        + 'parameter is stored and shown unencrypted', 'Properties.Name');
    }
    const value = judgeValue(parameter.read('Value'), parameter, context);
    if (value.secret !== undefined) {
      return nonCompliant(`The ${type.value} parameter${literalName === undefined ? '' : ` "${literalName}"`} holds ${value.secret}, stored and shown unencrypted`,
        'Properties.Value');
    }
    if (value.unknown !== undefined && literalName === undefined) {
      return unresolvable(`Neither the parameter's name nor its value can be judged at synth time: ${name === undefined ? 'it has no Name, and ' : ''}${value.unknown}`,
        'Properties.Value');
    }
    return COMPLIANT;
  },
};

interface ValueVerdict {
  /** What secret the value holds. */
  readonly secret?: string;
  /** Why the value cannot be judged. */
  readonly unknown?: string;
}

/** Looks through a value (literal parts, references, parameters) for a secret. */
function judgeValue(value: unknown, parameter: ResourceView, context: RuleContext): ValueVerdict {
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean') {
    return {};
  }
  if (typeof value === 'string') {
    // Parameter Store takes 8 KB at most: a longer value never deploys, and reading it all could
    // cost time that grows with the square of its length.
    const text = value.length > MAX_VALUE ? value.slice(0, MAX_VALUE) : value;
    const found = SECRET_VALUES.find(s => s.pattern.test(text));
    const key = found === undefined ? secretKeyIn(text) : undefined;
    return found !== undefined ? { secret: found.what } : key !== undefined ? { secret: `a value assigned to "${key}"` } : {};
  }
  if (isResourceReference(value)) {
    const type = templateTypeOf(value.target);
    const secret = { secret: `the ${value.attribute} of ${value.target.node.path} (${type})` };
    if ((SECRET_ATTRIBUTES[type] ?? []).includes(value.attribute)) {
      return secret;
    }
    if (value.attribute !== 'Ref' && returnsAnyValue(type)) {
      // A custom resource (aws-cdk-lib's AwsCustomResource reading a Cognito client's secret, for
      // example) returns whatever its code returns: its attribute's name is all the template says,
      // and judged by it like a parameter's name.
      return namedLikeSecret(value.attribute.split('.').pop() ?? '') ? secret : {};
    }
    return {};
  }
  const fn = intrinsicName(value);
  if (fn === 'Ref') {
    const id = (value as JsonObject).Ref;
    if (typeof id === 'string' && id.startsWith('AWS::')) {
      return {};
    }
    if (typeof id === 'string' && isNoEcho(parameter, id, context)) {
      return { secret: `the NoEcho parameter "${id}" (a value hidden in the console is copied into a plain parameter)` };
    }
    return { unknown: whyUnknown(value, 'the value') };
  }
  if (fn === 'Fn::ImportValue' || fn === 'Fn::FindInMap') {
    return { unknown: whyUnknown(value, 'the value') };
  }
  // Fn::Join, Fn::Sub, Fn::Select... : judge every part.
  const parts = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
  let unknown: string | undefined;
  for (const part of parts) {
    const verdict = judgeValue(part, parameter, context);
    if (verdict.secret !== undefined) {
      return verdict;
    }
    unknown = unknown ?? verdict.unknown;
  }
  return unknown === undefined ? {} : { unknown };
}

/** Whether a parameter of the stack is `NoEcho` (looked up in the index, not in the tree). */
function isNoEcho(parameter: ResourceView, logicalId: string, context: RuleContext): boolean {
  return context.parameter(parameter, logicalId)?.noEcho === true;
}
