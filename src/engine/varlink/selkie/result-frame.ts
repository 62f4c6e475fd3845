/**
 * io.selkie's upgraded calls speak Podman's framed stream (../podman/virt-stream.ts) plus one frame
 * type of their own: the result frame (6), whose data is the JSON {"result": …} or
 * {"error": {kind, message, hint, exitCode}} — how a streamed Engine call returns or fails.
 */
import { asEngineError } from '../../engine-error.js';
import { SelkieError, isSelkieError, type ErrorKind } from '../../errors.js';
import { encodeVirtFrame } from '../podman/virt-stream.js';

export const RESULT_FRAME = 6;

export interface EngineErrorParameters {
  kind: string;
  message: string;
  hint?: string;
  exitCode: number;
}

/** A SelkieError (or anything thrown) as the parameters of io.selkie.EngineError. */
export function engineErrorParameters(thrown: unknown): EngineErrorParameters {
  const e = asEngineError(thrown);
  if (isSelkieError(e)) return { kind: e.kind, message: e.message, hint: e.hint, exitCode: e.exitCode };
  return { kind: 'internal', message: e instanceof Error ? e.message : String(e), exitCode: 125 };
}

/** The SelkieError a remote engine reported, as the local engine would have thrown it. */
export function selkieErrorFrom(p: Record<string, unknown>): SelkieError {
  const exitCode = typeof p.exitCode === 'number' && p.exitCode > 0 ? p.exitCode : 125;
  return new SelkieError((typeof p.kind === 'string' ? p.kind : 'internal') as ErrorKind, String(p.message ?? 'the remote engine failed'), {
    hint: typeof p.hint === 'string' && p.hint ? p.hint : undefined,
    exitCode,
  });
}

export function encodeResultFrame(outcome: { result: unknown } | { error: unknown }): Buffer {
  const body = 'error' in outcome ? { error: engineErrorParameters(outcome.error) } : { result: outcome.result ?? null };
  return encodeVirtFrame(RESULT_FRAME, JSON.stringify(body));
}
