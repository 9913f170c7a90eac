import { LaunchJudgement } from './block-devices';
import { COMPLIANT, nonCompliant, unresolvable, Verdict } from '../../engine/rule';

/** One verdict from a launch judgement: definite problems first, then what cannot be known. */
export function launchVerdict(judgement: LaunchJudgement, subject: string, location: string): Verdict {
  if (judgement.problems.length > 0) {
    const unknowns = judgement.unknowns.length > 0 ? `; also, ${judgement.unknowns.join('; ')}` : '';
    return nonCompliant(`${subject} launches unencrypted EBS volumes: ${judgement.problems.join('; ')}${unknowns}`, location);
  }
  if (judgement.unknowns.length > 0) {
    return unresolvable(`The encryption of the volumes ${lowerFirst(subject)} launches cannot be known: ${judgement.unknowns.join('; ')}`, location);
  }
  return COMPLIANT;
}

/** `The instance` as it reads inside a sentence. */
function lowerFirst(subject: string): string {
  return /^(The|Its) /.test(subject) ? subject[0].toLowerCase() + subject.slice(1) : subject;
}
