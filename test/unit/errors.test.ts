import { describe, expect, it } from 'vitest';
import { SelkieError, describeError } from '../../src/engine/errors.js';

describe('SelkieError', () => {
  it('maps kinds to Docker exit codes', () => {
    expect(new SelkieError('usage', 'x').exitCode).toBe(125);
    expect(new SelkieError('cannot-invoke', 'x').exitCode).toBe(126);
    expect(new SelkieError('command-not-found', 'x').exitCode).toBe(127);
  });
  it('prints the hint after the message', () => {
    expect(describeError(new SelkieError('not-found', 'image "x" not found', { hint: 'pull it first' }))).toBe(
      'image "x" not found: pull it first',
    );
  });
});
