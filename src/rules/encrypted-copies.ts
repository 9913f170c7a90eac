import { isResourceReference } from '../engine/resource-reference';
import { templateTypeOf } from '../private/cdk-internals';

/**
 * Whether a snapshot identifier names an `EncryptedSnapshotCopy` of the app: the copy exists only
 * once it is available and encrypted under the key it was given, so what is created from it is
 * encrypted (its custom resource waits for that before CloudFormation goes on).
 */
export function isEncryptedCopy(snapshot: unknown): boolean {
  return isResourceReference(snapshot) && templateTypeOf(snapshot.target) === 'Custom::EncryptedSnapshotCopy';
}
