import { ResourceView } from '../../engine/resource-view';
import { COMPLIANT, nonCompliant, Rule, unresolvable, unresolvableField } from '../../engine/rule';
import { RuleContext, TargetSpec } from '../../engine/rule-context';
import { known, Reading } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

const REST_API = 'AWS::ApiGateway::RestApi';
const HTTP_API = 'AWS::ApiGatewayV2::Api';

/** The mappings that put an API behind a custom domain name. */
const MAPPINGS: Array<{ type: string; property: string }> = [
  { type: 'AWS::ApiGateway::BasePathMapping', property: 'RestApiId' },
  { type: 'AWS::ApiGateway::BasePathMappingV2', property: 'RestApiId' },
  { type: 'AWS::ApiGatewayV2::ApiMapping', property: 'ApiId' },
];

/**
 * CEG-APIGW-2: an API served through a custom domain name disables its default `execute-api`
 * endpoint, so that the domain's security policy (and mutual TLS) cannot be bypassed.
 */
export const defaultEndpoint: Rule = {
  id: 'CEG-APIGW-2',
  service: RuleService.API_GATEWAY,
  title: 'REST and HTTP APIs mapped to a custom domain name disable the default execute-api endpoint',
  rationale:
    'The default `execute-api` endpoint stays reachable next to a custom domain unless it is disabled, and its security policy is the '
    + 'API\'s own, TLS 1.0 for edge-optimized and Regional APIs unless the API sets one (API Gateway Developer Guide): clients can bypass '
    + 'the domain\'s security policy, its mutual TLS and anything that relies on the domain.',
  fix: 'Set `disableExecuteApiEndpoint: true` on the `RestApi` (or `HttpApi`) that a custom domain maps; on an L1, set '
    + '`DisableExecuteApiEndpoint: true`.',
  resourceTypes: [REST_API, HTTP_API],
  defaultLevel: FindingLevel.WARNING,

  check(api, context) {
    const mappings = domainMappings(api, context);
    if (!mappings.known) {
      return unresolvable(`Whether a custom domain name maps the API cannot be known: ${mappings.why}`, 'Properties.DisableExecuteApiEndpoint');
    }
    if (mappings.value.length === 0) {
      return COMPLIANT;
    }
    const disabled = api.boolean('DisableExecuteApiEndpoint');
    if (!disabled.known) {
      return unresolvableField(disabled);
    }
    if (disabled.value !== true) {
      return nonCompliant(`The API is served through a custom domain name (${mappings.value[0].displayName}), but its default execute-api endpoint stays enabled`,
        disabled.location);
    }
    return COMPLIANT;
  },
};

function domainMappings(api: ResourceView, context: RuleContext): Reading<ResourceView[]> {
  const spec: TargetSpec = { types: [api.type], noun: api.type === REST_API ? 'REST API' : 'API' };
  const found: ResourceView[] = [];
  for (const mapping of MAPPINGS) {
    if (api.type === HTTP_API && mapping.type !== 'AWS::ApiGatewayV2::ApiMapping') {
      continue;
    }
    const referrers = context.referrers(api, mapping.type, [mapping.property], spec);
    if (!referrers.known) {
      return referrers;
    }
    found.push(...referrers.value);
  }
  return known(found);
}
