/** The parts of Cockpit's page API (../base1/cockpit.js, a global) that the plugin uses. */
export interface CockpitChannelOptions {
  payload: 'stream';
  spawn: string[];
  superuser?: 'try' | 'require';
  err?: 'out' | 'ignore' | 'message';
  environ?: string[];
}

export interface CockpitCloseOptions {
  problem?: string;
  message?: string;
  'exit-status'?: number;
}

export interface CockpitChannel {
  send(data: string): void;
  close(problem?: string): void;
  addEventListener(event: 'message', cb: (ev: unknown, data: string) => void): void;
  addEventListener(event: 'close', cb: (ev: unknown, options: CockpitCloseOptions) => void): void;
}

export interface CockpitLocation {
  path: string[];
  options: Record<string, string | string[]>;
  go(path: string[] | string, options?: Record<string, string>): void;
  replace(path: string[] | string, options?: Record<string, string>): void;
}

export interface Cockpit {
  channel(options: CockpitChannelOptions): CockpitChannel;
  gettext(text: string): string;
  ngettext(singular: string, plural: string, n: number): string;
  format(template: string, ...args: unknown[]): string;
  location: CockpitLocation;
  /** The logged-in user (Cockpit's internal D-Bus; answers fast). */
  user(): PromiseLike<{ id: number; name: string; full_name?: string }>;
  addEventListener(event: 'locationchanged', cb: () => void): void;
  removeEventListener(event: 'locationchanged', cb: () => void): void;
  translate?(): void;
}

declare global {
  interface Window {
    cockpit?: Cockpit;
    /** selkie-config.json, asked for by config-early.js before the page's module loaded. */
    selkieConfigResponse?: Promise<Response>;
  }
}
