/** The Selkie version, from package.json at build time (esbuild define), else a development marker. */
declare const __SELKIE_VERSION__: string | undefined;
export const SELKIE_VERSION: string = typeof __SELKIE_VERSION__ === 'string' ? __SELKIE_VERSION__ : '0.1.0-dev';
