import { DbEncryption } from './storage-encryption';
import { COMPLIANT, nonCompliant, unresolvable, Verdict } from '../../engine/rule';

export function encryptionVerdict(encryption: DbEncryption, subject: string): Verdict {
  switch (encryption.state) {
    case 'encrypted':
      return COMPLIANT;
    case 'unencrypted':
      return nonCompliant(`${subject} storage is not encrypted: ${encryption.reason}`, encryption.location);
    case 'unknown':
      return unresolvable(`${subject} storage encryption cannot be known: ${encryption.why}`, encryption.location);
  }
}
