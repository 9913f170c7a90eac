import { ResourceView } from '../../engine/resource-view';
import { unresolvableField, Verdict } from '../../engine/rule';
import { JsonObject, readObject } from '../../engine/values';

/** The distribution's `DistributionConfig` in this world, or the verdict when it cannot be read. */
export function distributionConfig(distribution: ResourceView): { config: JsonObject } | { verdict: Verdict } {
  const config = distribution.object('DistributionConfig');
  if (!config.known) {
    return { verdict: unresolvableField(config) };
  }
  const value = readObject(config.value ?? {}, 'DistributionConfig');
  return value.known ? { config: value.value ?? {} } : { verdict: unresolvableField({ ...value, location: config.location }) };
}

/** Where the viewer certificate is, for findings. */
export const CERTIFICATE = 'Properties.DistributionConfig.ViewerCertificate';
