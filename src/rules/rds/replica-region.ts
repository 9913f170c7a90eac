import { Token } from 'aws-cdk-lib';
import { arnSegment, DEPLOY_REGION } from '../../aws/literal-text';
import { isResourceReference } from '../../engine/resource-reference';
import { ResourceView } from '../../engine/resource-view';
import { intrinsicName, known, Reading, readString, unknown } from '../../engine/values';

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
  // An ARN built around a reference (`arn:aws:rds:us-east-1:...:db:${source.ref}`) says its Region
  // itself; a reference alone leaves it to the referenced resource's stack.
  const region = arnSegment(source, 3);
  return region === DEPLOY_REGION ? SAME_REGION : region === '*' || region === '' ? undefined : region;
}

/** The Region segment of a literal ARN, if `value` is one. */
function arnRegion(value: string): string | undefined {
  return value.startsWith('arn:') ? value.split(':')[3] || undefined : undefined;
}
