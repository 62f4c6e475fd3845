/** Catching the SelkieError a config call throws, for the config tests. */
import { expect } from 'vitest';
import { SelkieError } from '../../../src/engine/errors.js';

/** The SelkieError `fn` throws (fails the test if it throws something else or nothing). */
export function errorOf(fn: () => unknown): SelkieError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SelkieError);
    return e as SelkieError;
  }
  throw new Error('expected an error');
}
