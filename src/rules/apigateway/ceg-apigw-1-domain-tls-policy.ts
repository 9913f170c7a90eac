import { COMPLIANT, nonCompliant, Rule, unresolvable, unresolvableField, Verdict } from '../../engine/rule';
import { field, readString } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

const V2_DOMAIN = 'AWS::ApiGatewayV2::DomainName';
/**
 * A private custom domain name of REST APIs: its top-level `SecurityPolicy` (TLS_1_0 | TLS_1_2)
 * decides exactly as on `AWS::ApiGateway::DomainName`, so it is judged the same way.
 */
const REST_PRIVATE_DOMAIN = 'AWS::ApiGateway::DomainNameV2';

/**
 * Whether an API Gateway security policy accepts nothing below TLS 1.2: `TLS_1_2`, and the
 * enhanced policies of 2025 whose names start `SecurityPolicy_TLS12_` or `SecurityPolicy_TLS13_`
 * (for example `SecurityPolicy_TLS13_1_3_2025_09`, `SecurityPolicy_TLS13_1_2_PQ_2025_09`,
 * `SecurityPolicy_TLS12_PFS_2025_EDGE`; API Gateway Developer Guide, "Choose a security policy").
 */
export function isTls12MinimumApiPolicy(name: string): boolean {
  return name === 'TLS_1_2' || /^SecurityPolicy_TLS1[23]_/.test(name);
}

/** CEG-APIGW-1: REST (public and private) and HTTP API custom domain names have a TLS 1.2+ security policy. */
export const domainTlsPolicy: Rule = {
  id: 'CEG-APIGW-1',
  service: RuleService.API_GATEWAY,
  title: 'API Gateway custom domain names (REST APIs, public and private, and HTTP APIs) have an explicit security policy that requires TLS 1.2 or later',
  rationale:
    'The security policy decides which TLS versions and ciphers clients may use with a custom domain. `TLS_1_0` accepts TLS 1.0 and 1.1, '
    + 'deprecated by RFC 8996; without SecurityPolicy the template does not decide. TLS 1.3 policies of 2025 (`SecurityPolicy_TLS13_...`) '
    + 'are stricter still and pass.',
  fix: 'Set `securityPolicy: apigateway.SecurityPolicy.TLS_1_2` (or a TLS 1.3 policy such as `TLS13_1_3_2025_09`) on the REST domain name '
    + '(`SecurityPolicy: TLS_1_2` on a private `AWS::ApiGateway::DomainNameV2`), '
    + 'or `securityPolicy: apigwv2.SecurityPolicy.TLS_1_2` on the HTTP API domain name; on an L1, set `SecurityPolicy` (for HTTP APIs in '
    + 'each of `DomainNameConfigurations`).',
  resourceTypes: ['AWS::ApiGateway::DomainName', REST_PRIVATE_DOMAIN, V2_DOMAIN],
  defaultLevel: FindingLevel.ERROR,

  check(domain) {
    if (domain.type !== V2_DOMAIN) {
      const policy = domain.string('SecurityPolicy');
      return policy.known ? judge(policy.value, 'The domain name', policy.location) : unresolvableField(policy);
    }
    const configurations = domain.list('DomainNameConfigurations');
    if (!configurations.known) {
      return unresolvableField(configurations);
    }
    if ((configurations.value ?? []).length === 0) {
      return nonCompliant('The domain name has no DomainNameConfigurations, so the template does not decide its security policy', configurations.location);
    }
    for (const [i, configuration] of (configurations.value ?? []).entries()) {
      const location = `Properties.DomainNameConfigurations.${i}.SecurityPolicy`;
      const policy = readString(field(configuration, 'SecurityPolicy'), `DomainNameConfigurations.${i}.SecurityPolicy`);
      if (!policy.known) {
        return unresolvable(policy.why, location);
      }
      const verdict = judge(policy.value, `Domain name configuration ${i}`, location);
      if (verdict !== COMPLIANT) {
        return verdict;
      }
    }
    return COMPLIANT;
  },
};

function judge(policy: string | undefined, subject: string, location: string): Verdict {
  if (policy === undefined) {
    return nonCompliant(`${subject} sets no SecurityPolicy, so the template does not decide which TLS versions it accepts`, location);
  }
  return isTls12MinimumApiPolicy(policy) ? COMPLIANT
    : nonCompliant(`${subject}'s SecurityPolicy ${policy} accepts TLS below 1.2 (or is not a known TLS 1.2+ policy)`, location);
}
