import { randomInt } from 'node:crypto';

const adjectives = ['amber', 'bold', 'brisk', 'calm', 'clever', 'crisp', 'daring', 'eager', 'gentle', 'glowing', 'keen', 'lucid', 'merry', 'nimble', 'quiet', 'rapid', 'silent', 'steady', 'sunny', 'swift', 'tidy', 'vivid', 'wise', 'zesty'];
const nouns = ['badger', 'comet', 'crane', 'delta', 'ember', 'falcon', 'fjord', 'gecko', 'harbor', 'heron', 'lynx', 'maple', 'meteor', 'otter', 'panda', 'quartz', 'raven', 'river', 'sparrow', 'tiger', 'willow', 'yak', 'zebra', 'cedar'];

/** A readable default run name, as MLflow gives one, so a table of unnamed runs stays scannable. */
export function randomRunName(): string {
  return `${adjectives[randomInt(adjectives.length)]}-${nouns[randomInt(nouns.length)]}-${randomInt(1000)}`;
}
