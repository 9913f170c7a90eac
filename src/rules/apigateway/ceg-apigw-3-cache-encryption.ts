import { COMPLIANT, nonCompliant, NOT_APPLICABLE, Rule, unresolvable, Verdict } from '../../engine/rule';
import { field, readBoolean } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

const DEPLOYMENT = 'AWS::ApiGateway::Deployment';

/**
 * CEG-APIGW-3: a REST API stage that caches responses encrypts its cache. Method settings are
 * judged one by one (each has its own `CacheDataEncrypted`); a stage whose cache cluster is on
 * also needs its stage-wide setting (`/*` and `*`) to encrypt, since API Gateway caches GET
 * methods by default once the cluster exists.
 */
export const cacheEncryption: Rule = {
  id: 'CEG-APIGW-3',
  service: RuleService.API_GATEWAY,
  title: 'REST API stages that cache responses encrypt the cache (`CacheDataEncrypted` on every caching method setting)',
  rationale:
    'The stage cache holds whole responses, often personal or authorization-dependent data. API Gateway encrypts it only when a method '
    + 'setting says `CacheDataEncrypted: true`, and each method setting decides for the methods it covers.',
  fix: 'Set `cacheDataEncrypted: true` in the stage options (`deployOptions` of `RestApi`) and in every `methodOptions` entry that enables '
    + 'caching; on an L1, set `CacheDataEncrypted: true` on each `MethodSettings` entry with `CachingEnabled` and on the `/*` `*` entry '
    + 'when `CacheClusterEnabled` is true.',
  resourceTypes: ['AWS::ApiGateway::Stage', DEPLOYMENT],
  defaultLevel: FindingLevel.ERROR,

  check(resource) {
    // A deployment creates a stage from its StageDescription (if it has one).
    const prefix = resource.type === DEPLOYMENT ? ['StageDescription'] : [];
    const base = ['Properties', ...prefix].join('.');
    const settings: Array<{ setting: unknown; location: string; name: string }> = [];
    if (resource.type === DEPLOYMENT) {
      const description = resource.object('StageDescription');
      if (!description.known) {
        return unresolvable(description.why, description.location);
      }
      if (description.value === undefined) {
        return NOT_APPLICABLE;
      }
      // StageDescription's own CachingEnabled/CacheDataEncrypted are the stage-wide method setting.
      settings.push({ setting: { ...description.value, ResourcePath: '/*', HttpMethod: '*' }, location: base, name: 'The stage description' });
    }
    const list = resource.list(...prefix, 'MethodSettings');
    if (!list.known) {
      return unresolvable(list.why, list.location);
    }
    for (const [i, setting] of (list.value ?? []).entries()) {
      const path = field(setting, 'ResourcePath');
      const method = field(setting, 'HttpMethod');
      settings.push({
        setting,
        location: `${base}.MethodSettings.${i}`,
        name: `The method setting for ${typeof method === 'string' ? method : '?'} ${typeof path === 'string' ? path : '?'}`,
      });
    }
    for (const { setting, location, name } of settings) {
      const verdict = judgeSetting(setting, name, location);
      if (verdict !== COMPLIANT) {
        return verdict;
      }
    }
    const cluster = resource.boolean(...prefix, 'CacheClusterEnabled');
    if (!cluster.known) {
      return unresolvable(cluster.why, cluster.location);
    }
    if (cluster.value === true) {
      const stageWide = settings.filter(s => field(s.setting, 'ResourcePath') === '/*' && field(s.setting, 'HttpMethod') === '*');
      const is = (setting: unknown, name: string, value: boolean) => {
        const flag = readBoolean(field(setting, name), name);
        return flag.known && flag.value === value;
      };
      const covered = stageWide.some(s => is(s.setting, 'CacheDataEncrypted', true) || is(s.setting, 'CachingEnabled', false));
      if (!covered) {
        return nonCompliant('The stage has a cache cluster (CacheClusterEnabled) but no stage-wide method setting (/* *) with CacheDataEncrypted true, so the '
          + 'responses API Gateway caches by default (GET methods) are not encrypted', cluster.location);
      }
    }
    return COMPLIANT;
  },
};

function judgeSetting(setting: unknown, name: string, location: string): Verdict {
  const caching = readBoolean(field(setting, 'CachingEnabled'), 'CachingEnabled');
  if (!caching.known) {
    return unresolvable(caching.why, `${location}.CachingEnabled`);
  }
  if (caching.value !== true) {
    return COMPLIANT;
  }
  const encrypted = readBoolean(field(setting, 'CacheDataEncrypted'), 'CacheDataEncrypted');
  if (!encrypted.known) {
    return unresolvable(encrypted.why, `${location}.CacheDataEncrypted`);
  }
  if (encrypted.value !== true) {
    return nonCompliant(`${name} enables caching without CacheDataEncrypted, so its cached responses are stored unencrypted`, `${location}.CacheDataEncrypted`);
  }
  return COMPLIANT;
}


