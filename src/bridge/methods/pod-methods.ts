/** pods.*: list, inspect, create with containers in one call, the actions on a pod, kube.generate. */
import type { Engine } from '../../engine/engine.js';
import { SelkieError } from '../../engine/errors.js';
import type { PodActionReport } from '../../engine/types/pod.js';
import { containerCreateOptions, podCreateOptions } from './create-options.js';
import type { MethodTable } from './method-types.js';
import { obj, optBool, optNum, optObjList, optStr, optStrList, str } from './params.js';

/** A pod action that failed for some containers is an error naming the pod and each container. */
function checkReport(action: string, pod: string, report: PodActionReport): PodActionReport {
  if (!report.errors.length) return report;
  const detail = report.errors.map((e) => `${e.container}: ${e.message}`).join('; ');
  throw new SelkieError('runtime', `could not ${action} pod "${pod}": ${detail}`);
}

/**
 * Create the pod, its containers (joined to it), and start it. On any failure, the pod and what was
 * created in it are removed again, so the dialog never leaves half a pod behind.
 */
async function createPodWithContainers(engine: Engine, p: Record<string, unknown>) {
  const podOptions = podCreateOptions(obj(p, 'options'));
  const containerOptions = optObjList(p, 'containers').map(containerCreateOptions);
  const pod = await engine.pods.create(podOptions);
  try {
    const containers = [];
    for (const c of containerOptions) containers.push(await engine.containers.create({ ...c, pod: pod.id }));
    if (optBool(p, 'start') ?? true) checkReport('start', pod.name, await engine.pods.start(pod.id));
    return { ...pod, containers };
  } catch (e) {
    await engine.pods.remove(pod.id, { force: true, timeout: 0 }).catch(() => undefined);
    throw e;
  }
}

const podAction = (action: 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill') => ({
  changes: ['pods' as const, 'containers' as const],
  run: async ({ engine }: { engine: Engine }, p: Record<string, unknown>) => {
    const name = str(p, 'name');
    const report =
      action === 'stop' || action === 'restart'
        ? await engine.pods[action](name, { timeout: optNum(p, 'timeout') })
        : action === 'kill'
          ? await engine.pods.kill(name, optStr(p, 'signal'))
          : await engine.pods[action](name);
    return checkReport(action, name, report);
  },
});

export const podMethods: MethodTable = {
  'pods.list': { run: ({ engine }) => engine.pods.list() },
  'pods.inspect': { run: ({ engine }, p) => engine.pods.inspect(str(p, 'name')) },
  'pods.create': { changes: ['pods', 'containers', 'images'], run: ({ engine }, p) => createPodWithContainers(engine, p) },
  'pods.start': podAction('start'),
  'pods.stop': podAction('stop'),
  'pods.restart': podAction('restart'),
  'pods.pause': podAction('pause'),
  'pods.unpause': podAction('unpause'),
  'pods.kill': podAction('kill'),
  'pods.remove': {
    changes: ['pods', 'containers'],
    run: ({ engine }, p) => engine.pods.remove(str(p, 'name'), { force: optBool(p, 'force'), timeout: optNum(p, 'timeout') }),
  },
  'kube.generate': { run: ({ engine }, p) => engine.kube.generate(optStrList(p, 'names') ?? [str(p, 'name')], { service: optBool(p, 'service') }) },
};
