// The words of names that say a Parameter Store value holds a secret (CEG-SSM-2).

/**
 * Words of a parameter name that say it holds a secret. A password, secret or credential followed
 * by `arn`, `name` or `version` (also after `secret`, `manager`, `store`, `key`) is named, not held
 * (`secret-id` may be a credential: Vault's AppRole), as is a compound (`api-key`) followed by those
 * or `id`; followed by `file`, `path`, `policy`, `(min-)length` or `stdin`, it is described
 * (`db-password-file`), unless the content follows (`...-file-content`).
 * `key` counts only as a word of its own not followed by a word naming an identifier
 * (`kms-key-arn`, `key-id`, `key-pair-name`); `pass` only as the last word, not after a word that
 * makes it a step, a filter, a threshold or a ticket (`DB_PASS`, `keystore-pass`, `TEST_PASS`; not
 * `first-pass`, `low-pass`, `min-pass`, `e2e-pass`, `2pass`, `boarding-pass`).
 */
export const SECRET_WORDS = /(^|[^a-z])((passwords?|passwd|passphrase|pwd|secrets?|credentials?)(?![-_.]?((secrets?|manager|store|key)[-_.]?){0,2}(arns?|names?|versions?)([^a-z]|$))(?![-_.]?((min|max)(imum)?[-_.]?)?(files?|paths?|polic(y|ies)|lengths?|stdin)(?![-_.]?(contents?|json|values?|data|body|text|b64|base64|pem|strings?)([^a-z]|$))([^a-z]|$))|(?<!(first|second|third|last|next|final|single|multi|one|two|by|boarding|bus|day|season|free|no|skip|low|high|band|battle|e2e|min|max|retry|unit|lint)[-_.])(?<![0-9])pass(?=[^a-z]*$)|(?<!max[-_.]?)tokens?(?![-_.]?(endpoints?|urls?|uris?|issuers?|lifetimes?|ttls?|types?)([^a-z]|$))|(creds|apikey|privatekey|private[-_.]?key|api[-_.]?key|access[-_.]?key|secret[-_.]?key|client[-_.]?secret|auth[-_.]?token|bearer|signing[-_.]?key)(?![-_.]?(arns?|names?|versions?|ids?)([^a-z]|$)))([^a-z]|$)/i;
const KEY_WORD = /(^|[^a-z])(?<!public[-_.]?)key(?![-_.]?(arn|ids?|alias|name|pair|spec|usage|rotation|policy|region|type)([^a-z]|$))([^a-z]|$)/i;
/**
 * Secret words that end a run of letters of one case without a separator (`DBPASSWORD`,
 * `dbpassword`). `key` and `token` are left out: too many words end in them (`monkey`, `maxtokens`).
 */
const RUN_TOGETHER = /([a-z0-9])(passwords?|passwd|passphrase|secrets?|credentials?|apikey)(?=[^a-z]|$)|([A-Z0-9])(PASSWORDS?|PASSWD|PASSPHRASE|SECRETS?|CREDENTIALS?|APIKEY)(?=[^A-Z]|$)/g;

/**
 * CamelCase names (`dbPassword`, `ApiKey`) are split into words first, an acronym from the word
 * after it too (`DBPassword`, `JWTSecret`), then a secret word from the letters of one case it
 * ends (`DBPASSWORD`).
 */
export function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .replace(RUN_TOGETHER, (_all, lowerHead, lowerWord, upperHead, upperWord) =>
      lowerHead !== undefined ? `${lowerHead}-${lowerWord}` : `${upperHead}-${upperWord}`);
}

/** Whether a name (of a parameter, or of a custom resource's attribute) says it holds a secret. */
export function namedLikeSecret(name: string): boolean {
  const split = words(name);
  return SECRET_WORDS.test(split) || KEY_WORD.test(split);
}
