import { isTls12MinimumApiPolicy } from './ceg-apigw-1-domain-tls-policy';
import { intrinsicName, isJsonObject } from '../../aws/json';
import { Field, ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, Rule, unresolvable, unresolvableField, Verdict } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

/** Where an OpenAPI definition gives the API's security policy (API Gateway's OpenAPI extensions). */
const OPENAPI_POLICY = 'x-amazon-apigateway-security-policy';

/**
 * CEG-APIGW-4: a REST API's own security policy accepts nothing below TLS 1.2. Since 2025 a REST
 * API has a security policy of its own (`SecurityPolicy`, or the definition's
 * `x-amazon-apigateway-security-policy`). API Gateway negotiates TLS with it on the default
 * `execute-api` endpoint, and, the API Gateway Developer Guide says, also when the API is called
 * through a custom domain name whose policy differs. Without one, edge-optimized and Regional
 * APIs get TLS_1_0 and private APIs TLS_1_2 (Developer Guide, security policies).
 */
export const apiTlsPolicy: Rule = {
  id: 'CEG-APIGW-4',
  service: RuleService.API_GATEWAY,
  title: 'REST APIs have a security policy of their own that requires TLS 1.2 or later',
  rationale:
    'API Gateway negotiates TLS with the API\'s own security policy on its default `execute-api` endpoint and, the Developer Guide says, '
    + 'when the API is called through a custom domain name with another policy. Without one, edge-optimized and Regional APIs get '
    + 'TLS_1_0, which accepts TLS 1.0 and 1.1 (deprecated by RFC 8996); private APIs get TLS_1_2.',
  fix: 'Give the REST API `SecurityPolicy: TLS_1_2` (or an enhanced `SecurityPolicy_TLS13_...` policy, with `EndpointAccessMode`): '
    + 'aws-cdk-lib\'s `RestApi` has no prop for it, so set it on the L1 (`(api.node.defaultChild as apigateway.CfnRestApi).securityPolicy = '
    + '\'TLS_1_2\'`), or give the OpenAPI definition `x-amazon-apigateway-security-policy`.',
  resourceTypes: ['AWS::ApiGateway::RestApi'],
  defaultLevel: FindingLevel.WARNING,

  check(api) {
    const own = api.string('SecurityPolicy');
    if (!own.known) {
      return unresolvableField(own);
    }
    let verdict = judgeGiven(own.value, 'The REST API\'s SecurityPolicy', own.location);
    if (verdict !== undefined) {
      return verdict;
    }
    // Neither CloudFormation nor API Gateway documents which wins when the template and the
    // definition both give a policy: each one given must be TLS 1.2+.
    const body = api.read('Body');
    if (body !== undefined) {
      const inline = policyInDefinition(api, body);
      if (!inline.known) {
        return unresolvable(inline.why, inline.location);
      }
      verdict = judgeGiven(inline.value, `The REST API's definition (${OPENAPI_POLICY})`, inline.location);
      if (verdict !== undefined) {
        return verdict;
      }
      if (own.value !== undefined || inline.value !== undefined) {
        return COMPLIANT;
      }
    }
    for (const source of ['BodyS3Location', 'CloneFrom']) {
      if (api.has(source)) {
        // The definition in S3, or the API cloned, may bring a policy of its own, stronger or weaker.
        return unresolvable(`The REST API takes its definition from ${source}, which may set the API's security policy: only the deployment tells`,
          `Properties.${source}`);
      }
    }
    if (own.value !== undefined) {
      return COMPLIANT;
    }
    return judgeDefault(api.list('EndpointConfiguration', 'Types'), own.location);
  },
};

/**
 * The policy an inline definition gives: a JSON object's top-level key, also in a definition given
 * as JSON text. In text the gate does not parse (YAML), any mention of the key is left to the
 * deployment: a YAML key may hide in a flow mapping, a multi-line string or an escape.
 */
function policyInDefinition(api: ResourceView, body: unknown): Field<string | undefined> {
  const location = `Properties.Body.${OPENAPI_POLICY}`;
  if (typeof body === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.replace(/^\uFEFF/, ''));
    } catch {
      parsed = undefined;
    }
    if (isJsonObject(parsed)) {
      const value = parsed[OPENAPI_POLICY];
      return value === undefined || typeof value === 'string' ? { known: true, value, location }
        : { known: false, why: `The REST API's definition gives ${OPENAPI_POLICY} as ${JSON.stringify(value)}`, location };
    }
    // A YAML string may spell the key with escapes (`\x61`, `\u002d`) or go on over an escaped line
    // break: read them first; then a mention with any separators counts.
    const decoded = body.replace(/\\\r?\n[ \t]*/g, '')
      .replace(/\\(?:U([0-9a-fA-F]{8})|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/g, (all: string, ...hex: Array<string | undefined>) => {
        const code = parseInt(hex[0] ?? hex[1] ?? hex[2] ?? '', 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : all;
      });
    return !/x[^a-z]{0,16}amazon[^a-z]{0,16}apigateway[^a-z]{0,16}security[^a-z]{0,16}policy/i.test(decoded) ? { known: true, value: undefined, location }
      : { known: false, why: `The REST API's definition (Body) is YAML text, which the gate does not parse for ${OPENAPI_POLICY}`, location };
  }
  if (isJsonObject(body) && intrinsicName(body) === undefined) {
    return api.string('Body', OPENAPI_POLICY);
  }
  return { known: false, why: 'The REST API\'s definition (Body) is known only at deploy time, and may set its security policy', location: 'Properties.Body' };
}

/** The verdict on a policy given, when it decides alone (weak); `undefined` when it is TLS 1.2+ or not given. */
function judgeGiven(policy: string | undefined, subject: string, location: string): Verdict | undefined {
  if (policy === undefined || isTls12MinimumApiPolicy(policy)) {
    return undefined;
  }
  return nonCompliant(`${subject} ${policy === '' ? '(empty)' : policy} accepts TLS below 1.2 (or is not a known TLS 1.2+ policy)`, location);
}

/** No policy anywhere: API Gateway's default, which depends on the endpoint type (EDGE when none is given). */
function judgeDefault(types: Field<unknown[] | undefined>, location: string): Verdict {
  if (!types.known) {
    return unresolvable(`The REST API sets no SecurityPolicy, and its endpoint type, which decides the default policy, cannot be known: ${types.why}`,
      types.location);
  }
  const list = types.value ?? [];
  if (list.some(type => typeof type !== 'string')) {
    return unresolvable('The REST API sets no SecurityPolicy, and its endpoint type, which decides the default policy, is known only at deploy time',
      types.location);
  }
  if (list.length > 0 && list.every(type => (type as string).toUpperCase() === 'PRIVATE')) {
    return COMPLIANT;
  }
  return nonCompliant('The REST API sets no SecurityPolicy, so API Gateway gives it TLS_1_0 (the default of edge-optimized and Regional '
    + 'APIs): clients may connect with TLS 1.0 and 1.1', location);
}
