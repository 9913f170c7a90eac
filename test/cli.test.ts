/**
 * The `cdk synth` CLI really fails on the non-compliant example and lists every finding; it
 * succeeds on the compliant one. (The demo shows the same; this keeps it under test.)
 */
import { cdkSynth, EXPECTED_REFUSALS, listedFindings } from '../examples/demo';

test('cdk synth exits non-zero on the non-compliant example and lists every finding', () => {
  const run = cdkSynth('noncompliant-app.ts');
  expect(run.exitCode).not.toBe(0);
  expect(listedFindings(run.output).sort()).toEqual([...EXPECTED_REFUSALS].sort());
});

test('cdk synth succeeds on the compliant example', () => {
  const run = cdkSynth('compliant-app.ts');
  expect(run.output).not.toMatch(/CEG-/);
  expect(run.exitCode).toBe(0);
});
