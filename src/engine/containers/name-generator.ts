/** Generated container names, "adjective_noun" as Docker makes them (here: the sea's creatures). */
import { randomId } from '../util/ids.js';

const adjectives = [
  'agile', 'amazing', 'bold', 'brave', 'bright', 'calm', 'charming', 'clever', 'cool', 'curious', 'dazzling', 'eager',
  'elastic', 'elegant', 'epic', 'fervent', 'festive', 'gallant', 'gentle', 'happy', 'hardy', 'hopeful', 'jolly', 'keen',
  'kind', 'lively', 'loyal', 'lucid', 'merry', 'modest', 'nifty', 'noble', 'patient', 'peaceful', 'playful', 'proud',
  'quick', 'quiet', 'relaxed', 'serene', 'sharp', 'silly', 'sleepy', 'steady', 'stoic', 'sweet', 'tender', 'trusting',
  'upbeat', 'vibrant', 'vigilant', 'wise', 'witty', 'zealous',
];
const nouns = [
  'albatross', 'anemone', 'barnacle', 'beluga', 'cormorant', 'crab', 'cuttlefish', 'dolphin', 'dugong', 'eider', 'eel',
  'fulmar', 'gannet', 'grouper', 'guillemot', 'gull', 'halibut', 'herring', 'kelp', 'kittiwake', 'krill', 'limpet',
  'lobster', 'mackerel', 'manatee', 'marlin', 'narwhal', 'nautilus', 'octopus', 'orca', 'otter', 'oyster', 'pelican',
  'penguin', 'petrel', 'plaice', 'porpoise', 'puffin', 'razorbill', 'ray', 'salmon', 'sardine', 'seahorse', 'seal',
  'selkie', 'shearwater', 'shrimp', 'skate', 'squid', 'starfish', 'sturgeon', 'tern', 'turbot', 'turtle', 'urchin',
  'walrus', 'whale', 'wrasse',
];

/** A random integer below `n` (n < 2^16), from the kernel's randomness without loading node:crypto. */
function randomBelow(n: number): number {
  const limit = 65536 - (65536 % n); // no modulo bias
  for (;;) {
    const r = parseInt(randomId().slice(0, 4), 16);
    if (r < limit) return r % n;
  }
}
const pick = <T>(a: readonly T[]): T => a[randomBelow(a.length)]!;

/** A name not in `taken`; after a few collisions a random digit is appended, as Docker does. */
export function generateName(taken: (name: string) => boolean): string {
  for (let i = 0; i < 10; i++) {
    const name = `${pick(adjectives)}_${pick(nouns)}${i >= 3 ? randomBelow(10) : ''}`;
    if (!taken(name)) return name;
  }
  return `${pick(adjectives)}_${pick(nouns)}_${randomId().slice(0, 6)}`;
}

export const validName = (name: string): boolean => /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name);
