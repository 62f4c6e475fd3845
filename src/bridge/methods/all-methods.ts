/** Every method the bridge serves, by name. */
import { containerMethods } from './container-methods.js';
import { imageMethods } from './image-methods.js';
import type { MethodTable } from './method-types.js';
import { podMethods } from './pod-methods.js';

export const allMethods: MethodTable = {
  ...containerMethods,
  ...podMethods,
  ...imageMethods,
  'system.info': { run: ({ engine }) => engine.system.info() },
};
