/**
 * The varlink service of `selkie system service --varlink`: org.varlink.service, io.podman and
 * io.selkie, every call run through one Engine (the same the CLI uses).
 */
import type { Engine } from '../engine.js';
import { SELKIE_VERSION } from '../version.js';
import { orgVarlinkService } from './org-varlink-service.js';
import { podmanInterface } from './podman/podman-interface.js';
import { selkieInterface } from './selkie/selkie-interface.js';
import { VarlinkService } from './service.js';

export interface InterfaceTexts {
  podman: string;
  selkie: string;
}

export function engineVarlinkService(engine: Engine, texts: InterfaceTexts): VarlinkService {
  const service = new VarlinkService({ vendor: 'Selkie', product: 'selkie', version: SELKIE_VERSION, url: '' });
  service.addInterface(orgVarlinkService(service));
  service.addInterface(podmanInterface(engine, texts.podman));
  service.addInterface(selkieInterface(engine, texts.selkie));
  return service;
}
