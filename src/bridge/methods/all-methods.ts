/** Every method the bridge serves, by name. */
import { containerMethods } from './container-methods.js';
import { imageMethods } from './image-methods.js';
import type { MethodTable } from './method-types.js';
import { podMethods } from './pod-methods.js';
import { terminalMethods } from './terminal-methods.js';

export const allMethods: MethodTable = {
  ...containerMethods,
  ...podMethods,
  ...imageMethods,
  ...terminalMethods,
  'system.info': { run: ({ engine }) => engine.system.info() },
};
