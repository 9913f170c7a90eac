import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { README, renderReadme } from '../../scripts/render-rule-table';
import { RuleCatalogue, RuleService } from '../../src';

const RULES_DIR = join(__dirname, '..', '..', 'src', 'rules');

describe('rule catalogue', () => {
  test('the rule table in README.md is generated from the catalogue (run `npm run docs:rules` when this fails)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(renderReadme(readme)).toBe(readme);
    for (const rule of RuleCatalogue.all()) {
      expect(readme).toContain(`| \`${rule.id}\` |`);
    }
  });

  test('every rule has a stable, unique ID of its service, and complete metadata', () => {
    const rules = RuleCatalogue.all();
    expect(new Set(rules.map(r => r.id)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule.id).toMatch(new RegExp(`^CEG-${rule.service}-\\d+$`));
      expect(Object.values(RuleService)).toContain(rule.service);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(40);
      expect(rule.fix.length).toBeGreaterThan(20);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
      rule.resourceTypes.forEach(t => expect(t).toMatch(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/));
    }
  });

  test('one rule per file under src/rules/<service>/, each in the catalogue', () => {
    const ruleFiles = readdirSync(RULES_DIR, { withFileTypes: true })
      .filter(d => d.isDirectory())
      .flatMap(d => readdirSync(join(RULES_DIR, d.name)).map(f => join(RULES_DIR, d.name, f)))
      .map(file => ({ file, ids: [...readFileSync(file, 'utf8').matchAll(/^\s+id: '(CEG-[A-Z0-9]+-\d+)',$/gm)].map(m => m[1]) }))
      .filter(f => f.ids.length > 0);
    ruleFiles.forEach(f => expect(f.ids).toHaveLength(1));
    expect(ruleFiles.map(f => f.ids[0]).sort()).toEqual(RuleCatalogue.all().map(r => r.id).sort());
  });

  test('get() finds a rule by ID and refuses an unknown one', () => {
    expect(RuleCatalogue.get('CEG-EBS-3').resourceTypes).toEqual(['AWS::EC2::Instance']);
    expect(() => RuleCatalogue.get('CEG-EBS-99')).toThrow(/Unknown rule "CEG-EBS-99"/);
  });
});
