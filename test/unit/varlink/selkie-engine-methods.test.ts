/** io.selkie's Engine methods: every method has a handler, engine errors keep their kind, streams are live. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import { SelkieError } from '../../../src/engine/errors.js';
import { engineVarlinkService } from '../../../src/engine/varlink/engine-service.js';
import { selkieErrorFrom } from '../../../src/engine/varlink/selkie/result-frame.js';
import { selkieInterface } from '../../../src/engine/varlink/selkie/selkie-interface.js';
import type { ReplyMessage } from '../../../src/engine/varlink/service.js';

const interfaces = path.join(__dirname, '../../../src/engine/varlink/interfaces');
const texts = {
  podman: fs.readFileSync(path.join(interfaces, 'io.podman.varlink'), 'utf8'),
  selkie: fs.readFileSync(path.join(interfaces, 'io.selkie.varlink'), 'utf8'),
};

const engineWith = (parts: Partial<Record<keyof Engine, object>>) => ({ containers: {}, images: {}, system: {}, pods: {}, volumes: {}, networks: {}, kube: {}, ...parts }) as unknown as Engine;

describe('io.selkie Engine methods', () => {
  it('every method of the interface has a handler and every handler a method', () => {
    const impl = selkieInterface(engineWith({}), texts.selkie);
    expect([...impl.definition.methods.keys()].filter((m) => !impl.methods[m])).toEqual([]);
    expect(Object.keys(impl.methods).filter((m) => !impl.definition.methods.has(m))).toEqual([]);
  });

  it('an engine failure becomes EngineError with kind, message, hint and exit code, and back', async () => {
    const e = engineWith({
      containers: {
        inspect: async () => {
          throw new SelkieError('not-found', 'no container with name or ID "x" found', { hint: 'see selkie ps -a' });
        },
      },
    });
    const service = engineVarlinkService(e, texts);
    const replies: ReplyMessage[] = [];
    for await (const r of service.dispatch({ method: 'io.selkie.InspectContainer', parameters: { name: 'x' } }, new AbortController().signal).replies) replies.push(r);
    expect(replies).toEqual([{ error: 'io.selkie.EngineError', parameters: { kind: 'not-found', message: 'no container with name or ID "x" found', hint: 'see selkie ps -a', exitCode: 125 } }]);
    const back = selkieErrorFrom(replies[0]!.parameters!);
    expect([back.kind, back.message, back.hint, back.exitCode]).toEqual(['not-found', 'no container with name or ID "x" found', 'see selkie ps -a', 125]);
  });

  it('a wrong parameter type is InvalidParameter naming it', async () => {
    const service = engineVarlinkService(engineWith({}), texts);
    const replies: ReplyMessage[] = [];
    for await (const r of service.dispatch({ method: 'io.selkie.StopContainer', parameters: { name: 'x', timeout: 'soon' } }, new AbortController().signal).replies) replies.push(r);
    expect(replies).toEqual([{ error: 'org.varlink.service.InvalidParameter', parameters: { parameter: 'timeout' } }]);
  });

  it('Events sends each event as it happens (before the next one exists)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const e = engineWith({
      system: {
        events: async function* () {
          yield { ID: '1', Name: 'a', Status: 'create', Time: 't', TimeNano: 1, Type: 'volume' };
          await gate;
        },
      },
    });
    const replies = engineVarlinkService(e, texts).dispatch({ method: 'io.selkie.Events', parameters: { options: { stream: true } }, more: true }, new AbortController().signal).replies[Symbol.asyncIterator]();
    const first = await Promise.race([replies.next(), new Promise((r) => setTimeout(() => r('late'), 1000))]);
    expect(first).toEqual({ done: false, value: { parameters: { event: { ID: '1', Name: 'a', Status: 'create', Time: 't', TimeNano: 1, Type: 'volume' } }, continues: true } });
    release();
    expect((await replies.next()).value).toEqual({ parameters: {} });
  });

  it('PullImage streams progress, then the image ID', async () => {
    const e = engineWith({
      images: {
        pull: async (_r: string, o: { onProgress?: (p: object) => void }) => {
          o.onProgress?.({ kind: 'resolving', reference: 'r' });
          return 'f'.repeat(64);
        },
      },
    });
    const replies: ReplyMessage[] = [];
    for await (const r of engineVarlinkService(e, texts).dispatch({ method: 'io.selkie.PullImage', parameters: { reference: 'r', options: {} }, more: true }, new AbortController().signal).replies) replies.push(r);
    expect(replies).toEqual([{ parameters: { progress: { kind: 'resolving', reference: 'r' } }, continues: true }, { parameters: { id: 'f'.repeat(64) } }]);
  });
});
