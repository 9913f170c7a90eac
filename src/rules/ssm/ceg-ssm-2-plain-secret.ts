import { isResourceReference } from '../../engine/resource-reference';
import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { RuleContext } from '../../engine/rule-context';
import { intrinsicName, isObject, JsonObject, whyUnknown } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';
import { templateTypeOf } from '../../private/cdk-internals';

/**
 * Words of a parameter name that say it holds a secret. A password, secret or credential followed
 * by `arn`, `name` or `version` (also after `secret`, `manager`, `store`, `key`) is named, not held
 * (`secret-id` may be a credential: Vault's AppRole), as is a compound (`api-key`) followed by those
 * or `id`; followed by `file`, `path`, `policy`, `(min-)length` or `stdin`, it is described
 * (`db-password-file`), unless the content follows (`...-file-content`).
 * `key` counts only as a word of its own not followed by a word naming an identifier
 * (`kms-key-arn`, `key-id`, `key-pair-name`); `pass` only as the last word, not after a word that
 * makes it a step, a filter, a threshold or a ticket (`DB_PASS`, `keystore-pass`, `TEST_PASS`; not
 * `first-pass`, `low-pass`, `min-pass`, `e2e-pass`, `2pass`, `boarding-pass`).
 */
const SECRET_WORDS = /(^|[^a-z])((passwords?|passwd|passphrase|pwd|secrets?|credentials?)(?![-_.]?((secrets?|manager|store|key)[-_.]?){0,2}(arns?|names?|versions?)([^a-z]|$))(?![-_.]?((min|max)(imum)?[-_.]?)?(files?|paths?|polic(y|ies)|lengths?|stdin)(?![-_.]?(contents?|json|values?|data|body|text|b64|base64|pem|strings?)([^a-z]|$))([^a-z]|$))|(?<!(first|second|third|last|next|final|single|multi|one|two|by|boarding|bus|day|season|free|no|skip|low|high|band|battle|e2e|min|max|retry|unit|lint)[-_.])(?<![0-9])pass(?=[^a-z]*$)|(?<!max[-_.]?)tokens?(?![-_.]?(endpoints?|urls?|uris?|issuers?|lifetimes?|ttls?|types?)([^a-z]|$))|(creds|apikey|privatekey|private[-_.]?key|api[-_.]?key|access[-_.]?key|secret[-_.]?key|client[-_.]?secret|auth[-_.]?token|bearer|signing[-_.]?key)(?![-_.]?(arns?|names?|versions?|ids?)([^a-z]|$)))([^a-z]|$)/i;
const KEY_WORD = /(^|[^a-z])(?<!public[-_.]?)key(?![-_.]?(arn|ids?|alias|name|pair|spec|usage|rotation|policy|region|type)([^a-z]|$))([^a-z]|$)/i;
/**
 * Secret words that end a run of letters of one case without a separator (`DBPASSWORD`,
 * `dbpassword`). `key` and `token` are left out: too many words end in them (`monkey`, `maxtokens`).
 */
const RUN_TOGETHER = /([a-z0-9])(passwords?|passwd|passphrase|secrets?|credentials?|apikey)(?=[^a-z]|$)|([A-Z0-9])(PASSWORDS?|PASSWD|PASSPHRASE|SECRETS?|CREDENTIALS?|APIKEY)(?=[^A-Z]|$)/g;

/**
 * CamelCase names (`dbPassword`, `ApiKey`) are split into words first, an acronym from the word
 * after it too (`DBPassword`, `JWTSecret`), then a secret word from the letters of one case it
 * ends (`DBPASSWORD`).
 */
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .replace(RUN_TOGETHER, (_all, lowerHead, lowerWord, upperHead, upperWord) =>
      lowerHead !== undefined ? `${lowerHead}-${lowerWord}` : `${upperHead}-${upperWord}`);
}

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

/** An ARN: its parts (`...:secret:name`) name things and are no assignment. */
const ARN = /(^|[^A-Za-z0-9])arn:[a-z-]+:[a-z0-9-]*:[a-z0-9-]*:[0-9]*:[A-Za-z0-9_+.@:/*-]*/g;
/**
 * Names given a value, and the value's beginning: a key (`password=...`,
 * `"dbPassword": "..."`, `api_key: ...`), a command-line option followed by its argument
 * (`--password hunter2`), an XML element with text (`<password>hunter2</password>`). A name starts
 * where a run of name characters starts, and at most 64 characters of a value are looked at (enough
 * to tell a count), so that a long value is scanned a bounded number of times.
 */
const ASSIGNMENTS = [
  /(?<![A-Za-z0-9_.-])(?<key>[A-Za-z0-9_.-]+)["']?\s*(?<sep>[=:])(?=\s*(?<quote>["']?)(?<value>[^\s"',}]{1,64}))/g,
  // Not an option named in prose ("use --password to set it").
  /(?:^|\s)--(?<key>[A-Za-z][A-Za-z0-9_.-]*)[ \t]+(?!(?:to|and|or|is|the|an?|flag|option|argument|if|when|with|for|of|in|on)\s)(?=(?<quote>["']?)(?<value>[^\s"'-][^\s"']{0,63}))/g,
  // Text, also after a comment or in a CDATA section (a string, like a quoted value).
  /<(?<key>[A-Za-z_][A-Za-z0-9_.:-]*)(?:\s[^<>]*)?>\s*(?:<!--(?:[^-]|-(?!->)){0,256}-->\s*)*(?=(?<quote><!\[CDATA\[\s*)?(?<value>[^<\]\s][^<\]]{0,63}))/g,
];

/** An unquoted number or flag: what a bare `pass` is given as a step or a count (`"pass": 3`, `--pass 2`). */
const COUNT = /^(\d+|true|false)$/i;
const FLAG = /^(true|false)$/i;

/** The first name like a secret that the value assigns something to (JSON, YAML, env, URL query, command line, XML). */
function secretKeyIn(value: string): string | undefined {
  const text = value.replace(ARN, '$1 ');
  for (const assignment of ASSIGNMENTS) {
    for (const match of text.matchAll(assignment)) {
      const { key, sep, quote, value: given } = match.groups as { key: string; sep?: string; quote?: string; value: string };
      // A bare `pass` given a number or flag is a count, a `...pass` given a flag a result
      // (`TEST_PASS=true`), unless more follows (`=true,x9`).
      const lower = key.toLowerCase();
      const flag = sep === '=' ? given.split(/[&;]/)[0] : given;
      const rest = text.slice(text.indexOf(given, match.index! + match[0].length) + flag.length);
      const whole = (sep === '=' ? /^($|[\s&;])/ : sep === ':' ? /^($|\s|[,}\]]($|[\s"'}\],]))/ : /^($|[\s<])/).test(rest);
      const count = !quote && whole && (lower === 'pass' ? COUNT.test(flag) : lower.endsWith('pass') && FLAG.test(flag));
      if (!count && SECRET_WORDS.test(words(key))) {
        return key;
      }
    }
  }
  return undefined;
}

/**
 * Resources whose attributes are whatever their code or template returns: custom resources, nested
 * stacks' outputs. Narrower than the engine's `carriesValues`, which also counts wait conditions,
 * Parameter Store values and unknown types because a reference to them may name a resource of
 * any type; here only an attribute whose name the user's code chose is read as a name.
 */
function returnsAnyValue(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource' || type === 'AWS::CloudFormation::Stack';
}

/** Whether a name (of a parameter, or of a custom resource's attribute) says it holds a secret. */
function namedLikeSecret(name: string): boolean {
  const split = words(name);
  return SECRET_WORDS.test(split) || KEY_WORD.test(split);
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
