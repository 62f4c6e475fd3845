import { describe, expect, it } from 'vitest';
import { podStatus } from '../../../src/engine/pods/pod-status.js';

describe('pod status', () => {
  it.each([
    [[], 'Created'],
    [['created', 'created'], 'Created'],
    [['running', 'running'], 'Running'],
    [['running', 'exited'], 'Degraded'],
    [['running', 'created'], 'Degraded'],
    [['paused', 'paused'], 'Paused'],
    [['paused', 'running'], 'Degraded'],
    [['exited', 'stopped'], 'Exited'],
    [['exited', 'created'], 'Stopped'],
    [['dead', 'exited'], 'Error'],
  ] as const)('%j is %s', (states, status) => {
    expect(podStatus(states)).toBe(status);
  });
});
