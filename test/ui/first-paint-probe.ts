/**
 * Where the first paint of the Cockpit page goes, with 100 containers: a measuring tool, not a test
 * (nothing is asserted; timings depend on the host's load). Real cockpit-ws, headless Chromium, the
 * real bridge and engine service on a private root, as in cockpit-e2e.test.ts. Each run reloads the
 * page and prints the page's performance marks; `--profile FILE` also writes a CPU profile of the
 * last run (open it in Chromium's DevTools) and prints the functions with the most self time;
 * `--trace` prints where the renderer's main thread spent the last run (script, style, layout, paint…);
 * `--ui DIR` measures another build of the plugin (with its selkie-config.json) instead of dist/ui.
 *
 *     npm run build
 *     npx esbuild test/ui/first-paint-probe.ts --bundle --platform=node --format=esm \
 *       --packages=external --outfile=dist/probe/first-paint-probe.mjs && node dist/probe/first-paint-probe.mjs [--runs 5] [--profile /tmp/page.cpuprofile]
 *
 * Everything it starts (cockpit-ws, D-Bus, Chromium, the engine service, 100 containers) is removed
 * at the end, also on failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { busyboxTar, makeSelkieEnv, type SelkieEnv } from '../helpers/selkie-cli.js';
import { chromiumArgs, chromiumPath, type CockpitSession, startCockpit } from './cockpit-harness.js';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const runs = Number(opt('--runs') ?? 5);
const profileFile = opt('--profile');
const count = Number(opt('--containers') ?? 100);
const tracing = argv.includes('--trace');
/** Another build of the plugin to measure (e.g. the last commit's, built elsewhere), instead of dist/ui. */
const uiDir = opt('--ui');

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  ts: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** Main-thread time of the page's renderer by top-level task kind. */
function summarizeTrace(events: TraceEvent[]): string[] {
  const thread = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'ParseAuthorStyleSheet'));
  if (!thread) return ['(no renderer main thread in the trace)'];
  const mine = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X' && e.dur !== undefined);
  const kinds = ['EvaluateScript', 'v8.compile', 'FunctionCall', 'RunMicrotasks', 'TimerFire', 'EventDispatch', 'ParseHTML', 'ParseAuthorStyleSheet', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'HitTest', 'MajorGC', 'MinorGC', 'V8.GC_SCAVENGER', 'FireAnimationFrame'];
  const total = new Map<string, number>();
  for (const e of mine) if (kinds.includes(e.name)) total.set(e.name, (total.get(e.name) ?? 0) + e.dur!);
  return ['-- renderer main thread (inclusive, ms; script kinds nest style/layout they force) --', ...[...total].sort((a, b) => b[1] - a[1]).map(([k, us]) => `${(us / 1000).toFixed(1).padStart(8)}  ${k}`)];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

function topSelfTime(p: CpuProfile, n = 25): string[] {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  const byUrl = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const file = f.url.split('/').pop() || '(native)';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    byUrl.set(file, (byUrl.get(file) ?? 0) + us);
  }
  const fmtRows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
  return ['-- self time by script --', ...fmtRows(byUrl), '-- self time by function --', ...fmtRows(byFn)];
}

async function main(): Promise<void> {
  let env: SelkieEnv | undefined;
  let cockpit: CockpitSession | undefined;
  let browser: BrowserContext | undefined;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'selkie-probe-chromium-'));
  try {
    env = makeSelkieEnv();
    const imported = await env.run(['import', '--change', 'CMD ["sh"]', '-', 'localhost/busybox:latest'], { input: await busyboxTar() });
    if (imported.code !== 0) throw new Error(imported.stderr);
    const { LocalEngine } = await import('../../src/engine/local/local-engine.js');
    const engine = new LocalEngine({ root: env.root, runRoot: env.runroot });
    try {
      for (let i = 0; i < count; i++) await engine.containers.create({ name: `many-${String(i).padStart(3, '0')}`, image: 'localhost/busybox:latest', command: ['true'] });
    } finally {
      await engine.close();
    }
    cockpit = await startCockpit({ bridgeArgs: ['--root', env.root, '--runroot', env.runroot], uiDir });
    process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
    const { chromium } = await import('playwright-core');
    browser = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, headless: true, args: chromiumArgs, viewport: { width: 1400, height: 1100 } });
    const page = browser.pages()[0] ?? (await browser.newPage());
    for (let run = 1; run <= runs; run++) {
      const profiling = profileFile && run === runs;
      const cdp = profiling ? await page.context().newCDPSession(page) : undefined;
      const traceSession = tracing && run === runs ? await page.context().newCDPSession(page) : undefined;
      const traceEvents: TraceEvent[] = [];
      if (traceSession) {
        traceSession.on('Tracing.dataCollected' as 'event', ((m: { value: TraceEvent[] }) => traceEvents.push(...m.value)) as never);
        await traceSession.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8', transferMode: 'ReportEvents' });
      }
      await page.goto('about:blank');
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      await page.goto(cockpit.pageUrl);
      await page.waitForFunction((n) => document.querySelectorAll('tr[data-container^="many-"]').length === n, count, { timeout: 60_000, polling: 'raf' });
      const shown = await page.evaluate(() => Math.round(performance.now()));
      const marks = await page.evaluate(() => {
        const at = (name: string) => Math.round(performance.getEntriesByName(name)[0]?.startTime ?? -1);
        return { fcp: at('first-contentful-paint'), start: at('selkie:start'), config: at('selkie:config'), ready: at('selkie:bridge-ready'), listed: at('selkie:containers'), rows: at('selkie:rows') };
      });
      const resources = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((r) => /assets|cockpit\.js|selkie-config/.test(r.name))
          .map((r) => `${r.name.split('/').pop()} ${Math.round(r.startTime)}→${Math.round((r as PerformanceResourceTiming).responseEnd)}`),
      );
      console.log(`run ${run}: shown ${shown} ms ${JSON.stringify(marks)} load ${os.loadavg()[0].toFixed(1)}\n   ${resources.join('\n   ')}`);
      if (traceSession) {
        const done = new Promise<void>((r) => traceSession.once('Tracing.tracingComplete' as 'event', () => r()));
        await traceSession.send('Tracing.end');
        await done;
        console.log(summarizeTrace(traceEvents).join('\n'));
      }
      if (cdp) {
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
        fs.writeFileSync(profileFile!, JSON.stringify(profile));
        console.log(topSelfTime(profile).join('\n'));
      }
    }
  } finally {
    await browser?.close().catch(() => undefined);
    fs.rmSync(userDataDir, { recursive: true, force: true });
    await cockpit?.stop();
    await env?.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
