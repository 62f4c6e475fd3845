// @vitest-environment happy-dom
/**
 * The Console and Logs tabs rendered (React + PatternFly in happy-dom) against a BridgeClient talking
 * to the bridge server on the fake engine with fake terminals. The xterm widget itself is swapped for
 * a stand-in that records what is written and lets the test type (xterm needs a real layout; the
 * e2e test drives the real one in Chromium).
 */
import { act, useEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContainerInfo, ContainerInspect } from '../../src/engine/types/container.js';
import { BridgeContext } from '../../src/ui/common/bridge-context.js';
import { ConsoleTab, consoleMode } from '../../src/ui/containers/console-tab.js';
import { LogsTab, logText } from '../../src/ui/containers/logs-tab.js';
import { mirrorStyleElements } from '../../src/ui/terminal/csp-styles.js';
import type { TerminalViewProps } from '../../src/ui/terminal/terminal-view.js';
import { connectedClient } from './bridge-harness.js';
import { container, fakeEngine } from './fake-engine.js';
import { addFakeTerminals } from './fake-terminal.js';

/** The stand-in terminals on the page: what was written to each, and its input callback. */
const terminals: { props: TerminalViewProps; written: string }[] = [];
vi.mock('../../src/ui/terminal/lazy-terminal.js', () => ({
  LazyTerminal: (props: TerminalViewProps) => {
    useEffect(() => {
      const t = { props, written: '' };
      terminals.push(t);
      props.onReady({ write: (s) => (t.written += s), reset: () => (t.written = ''), focus: () => undefined, size: () => ({ cols: 100, rows: 20 }) });
      // eslint-disable-next-line react-hooks/exhaustive-deps
    }, []);
    terminals.forEach((t) => t.props.label === props.label && (t.props = props));
    return <div role={props.role} aria-label={props.label} />;
  },
}));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | undefined;
const cleanups: (() => void)[] = [];
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  cleanups.splice(0).forEach((f) => f());
  terminals.splice(0);
  document.body.innerHTML = '';
});

function setup() {
  const fake = fakeEngine();
  const fakeTerminals = addFakeTerminals(fake);
  const c = connectedClient(fake);
  cleanups.push(() => c.client.close());
  const el = document.createElement('div');
  document.body.appendChild(el);
  root = createRoot(el);
  const render = (ui: React.ReactNode) => act(async () => root!.render(<BridgeContext.Provider value={{ client: c.client }}>{ui}</BridgeContext.Provider>));
  return { fake, fakeTerminals, render };
}

const settle = async (until: () => boolean) => {
  for (let i = 0; i < 300 && !until(); i++) await act(async () => new Promise((r) => setTimeout(r, 10)));
  if (!until()) throw new Error(`the page did not get there: ${document.body.textContent} / ${JSON.stringify(terminals.map((t) => t.written))}`);
};

const inspectOf = (tty: boolean, openStdin: boolean) => ({ Config: { Tty: tty, OpenStdin: openStdin } }) as unknown as ContainerInspect;
const typeInto = (text: string) => act(async () => terminals.at(-1)!.props.onInput?.(text));

describe('Console tab', () => {
  it('execs /bin/sh in a container without a TTY: output shows, typing goes to it, closing the tab hangs it up', async () => {
    const { fakeTerminals, render } = setup();
    const web: ContainerInfo = container('web');
    await render(<ConsoleTab container={web} inspect={inspectOf(false, false)} />);
    await settle(() => terminals.at(-1)?.written.includes('$ ') ?? false);
    expect(fakeTerminals.sessions[0]).toMatchObject({ kind: 'exec', name: web.Id, opts: { cmd: ['/bin/sh', '-s', expect.stringMatching(/^selkie-console-/)], env: ['TERM=xterm-256color'] } });
    // The widget's size is the terminal's from the start, and a refit resizes it.
    await settle(() => fakeTerminals.sizes.length === 1);
    expect(fakeTerminals.sizes).toEqual([{ cols: 100, rows: 20 }]);
    await act(async () => terminals.at(-1)!.props.onResize?.({ cols: 132, rows: 43 }));
    await settle(() => fakeTerminals.sizes.length === 2);
    expect(fakeTerminals.sizes[1]).toEqual({ cols: 132, rows: 43 });
    expect(document.querySelector('[role="group"]')?.getAttribute('aria-label')).toBe('Console of container web');
    expect(document.body.textContent).toContain('Shell /bin/sh in container web.');

    await typeInto('echo ');
    await typeInto('hello-console\r');
    await settle(() => terminals.at(-1)!.written.includes('hello-console\r\n$ '));
    expect(fakeTerminals.processes[0]!.input.join('')).toBe('echo hello-console\r');

    act(() => root!.unmount());
    root = undefined;
    for (let i = 0; i < 100 && fakeTerminals.processes.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fakeTerminals.processes).toHaveLength(0);
  });

  it('says how the shell ended and offers to reconnect', async () => {
    const { fakeTerminals, render } = setup();
    await render(<ConsoleTab container={container('web')} inspect={inspectOf(false, false)} />);
    await settle(() => terminals.at(-1)?.written.includes('$ ') ?? false);
    await typeInto('exit 2\r');
    await settle(() => document.body.textContent!.includes('Reconnect'));
    expect(terminals.at(-1)!.written).toContain('[The shell exited with code 2.]');
    await act(async () => Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Reconnect')!.click());
    await settle(() => fakeTerminals.sessions.filter((s) => s.kind === 'exec').length === 2);
  });

  it('attaches to a container with a TTY; read only when its stdin is not open', async () => {
    expect(consoleMode(inspectOf(true, true))).toEqual({ method: 'containers.attach', readOnly: false });
    expect(consoleMode(inspectOf(true, false))).toEqual({ method: 'containers.attach', readOnly: true });
    expect(consoleMode(inspectOf(false, true))).toEqual({ method: 'containers.exec', readOnly: false });
    const { fakeTerminals, render } = setup();
    await render(<ConsoleTab container={container('web')} inspect={inspectOf(true, false)} />);
    await settle(() => terminals.at(-1)?.written.includes('# ') ?? false);
    expect(fakeTerminals.sessions).toMatchObject([{ kind: 'attach', opts: { detachKeys: '' } }]);
    expect(terminals.at(-1)!.props.readOnly).toBe(true);
    expect(document.body.textContent).toContain('read only: it was created without an open standard input (-i)');
  });

  it('says a stopped container must be started, and opens nothing', async () => {
    const { fakeTerminals, render } = setup();
    await render(<ConsoleTab container={container('web', { State: 'exited' })} inspect={inspectOf(false, false)} />);
    expect(document.body.textContent).toContain('Container web is not running: start it to use its console.');
    expect(terminals).toHaveLength(0);
    expect(fakeTerminals.sessions).toHaveLength(0);
  });

  it('shows the engine error when the session cannot start', async () => {
    const { fake, render } = setup();
    fake.containers[0]!.State = 'exited'; // the engine knows better than the page's list
    await render(<ConsoleTab container={container('web')} inspect={inspectOf(false, false)} />);
    await settle(() => document.body.textContent!.includes('Could not open the console of container web'));
    expect(document.body.textContent).toContain('is not running, so nothing can be executed in it');
  });
});

describe('Logs tab', () => {
  it('writes the log into the terminal and follows it while the container runs', async () => {
    const { fake, render } = setup();
    fake.logLines.push({ stream: 'stdout', time: 't', text: 'hello from web', partial: false }, { stream: 'stderr', time: 't', text: 'no newline', partial: true });
    await render(<LogsTab container={container('web')} />);
    await settle(() => terminals.at(-1)?.written === 'hello from web\nno newline');
    expect(terminals.at(-1)!.props).toMatchObject({ role: 'log', label: 'Logs of container web', readOnly: true, convertEol: true });
    expect(fake.calls.find((c) => c.method === 'containers.logs')?.args[1]).toEqual({ tail: 1000, follow: true });
    expect(logText([{ stream: 'stdout', time: 't', text: 'a', partial: false }])).toBe('a\n');
  });
});

describe('inline styles under Cockpit\'s CSP', () => {
  it('mirrors the <style> elements xterm makes into adopted style sheets, kept current, removed with them', async () => {
    const box = document.createElement('div');
    document.body.appendChild(box);
    const before = document.adoptedStyleSheets.length;
    const style = document.createElement('style');
    style.textContent = '.xterm-rows { color: #e0e0e0 }';
    box.appendChild(style);
    const stop = mirrorStyleElements(box);
    const ours = () => document.adoptedStyleSheets.slice(before).map((s) => Array.from(s.cssRules, (r) => r.cssText).join(' '));
    expect(ours()).toEqual([expect.stringContaining('#e0e0e0')]);
    style.textContent = '.xterm-rows { color: #ffffff }';
    const late = document.createElement('style');
    late.textContent = '.xterm-rows span { height: 100% }';
    box.appendChild(late);
    await new Promise((r) => setTimeout(r, 0));
    expect(ours()).toEqual([expect.stringContaining('#ffffff'), expect.stringContaining('height: 100%')]);
    style.remove();
    await new Promise((r) => setTimeout(r, 0));
    expect(ours()).toEqual([expect.stringContaining('height: 100%')]);
    stop();
    expect(document.adoptedStyleSheets).toHaveLength(before);
  });
});
