export * from './gate/levels';
export * from './gate/options';
export * from './gate/finding';
export * from './rules/rule-info';
export { RuleCatalogue } from './rules/catalogue';
export * from './front-ends/enforce-encryption';
export * from './front-ends/encryption-checks';
export * from './front-ends/encryption-gate';
