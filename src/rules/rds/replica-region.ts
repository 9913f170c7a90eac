import { Token } from 'aws-cdk-lib';
import { isResourceReference } from '../../engine/resource-reference';
import { ResourceView } from '../../engine/resource-view';
import { intrinsicName, isObject, JsonObject, known, Reading, readString, unknown } from '../../engine/values';

/**
 * Whether a replica lives in another Region than its source. References within a stack and
 * imports (`Fn::ImportValue` only works within one Region) are same-Region; a literal ARN or
 * `SourceRegion` is compared with the replica stack's Region, which must then be known.
 */
export function isCrossRegion(db: ResourceView, source: unknown, sourceDb: ResourceView): Reading<boolean> {
  const declared = readString(db.read('SourceRegion'), 'SourceRegion');
  if (!declared.known) {
    return declared;
  }
  let region = declared.value ?? regionInReference(source);
  if (region === SAME_REGION) {
    return known(false);
  }
  if (region === undefined) {
    if (sourceDb.stack === db.stack) {
      return known(false);
    }
    region = sourceDb.stack.region;
  }
  const here = db.stack.region;
  if (Token.isUnresolved(here) || Token.isUnresolved(region)) {
    return unknown('the replica\'s or its source\'s stack has no Region set (environment-agnostic), so whether the replica is cross-Region cannot be told');
  }
  return known(region !== here);
}

const SAME_REGION = '<same region>';

function regionInReference(source: unknown): string | undefined {
  if (isResourceReference(source)) {
    // A reference to a resource of the app: the target's stack tells its Region.
    return undefined;
  }
  if (typeof source === 'string') {
    // A plain identifier only names a source in the replica's own Region.
    return arnRegion(source) ?? SAME_REGION;
  }
  const fn = intrinsicName(source);
  if (fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue') {
    return SAME_REGION;
  }
  if (fn === 'Fn::Join') {
    const [delimiter, parts] = (source as JsonObject)[fn] as [unknown, unknown];
    if (delimiter === '' && Array.isArray(parts)) {
      // An ARN built around a reference (`arn:aws:rds:us-east-1:...:db:${source.ref}`) says its Region
      // itself; a reference alone leaves it to the referenced resource's stack.
      const text = parts.map(p => typeof p === 'string' ? p : isObject(p) && p.Ref === 'AWS::Region' ? SAME_REGION : '\u0000').join('');
      const region = text.startsWith('arn:') ? text.split(':')[3] : undefined;
      return region === undefined || region.includes('\u0000') ? undefined : region;
    }
  }
  return undefined;
}

/** The Region segment of a literal ARN, if `value` is one. */
function arnRegion(value: string): string | undefined {
  return value.startsWith('arn:') ? value.split(':')[3] || undefined : undefined;
}
