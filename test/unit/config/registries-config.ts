/** An in-memory registries configuration for the config tests. */
import {
  emptyRegistriesConfig,
  mergeRegistriesConf,
  parseRegistriesConf,
  type RegistriesConfig,
} from '../../../src/engine/config/registries-conf.js';

/** The configuration that `text`, read as /etc/containers/registries.conf alone, gives. */
export function configOf(text: string): RegistriesConfig {
  const c = emptyRegistriesConfig('/etc/containers/registries.conf');
  mergeRegistriesConf(c, parseRegistriesConf(text, '/etc/containers/registries.conf'));
  return c;
}
