import { Token } from 'aws-cdk-lib';

/** Whether a value is a 12-digit AWS account ID (a token is given the benefit of the doubt). */
export function isAccountId(id: string): boolean {
  return Token.isUnresolved(id) || /^\d{12}$/.test(id);
}
