/**
 * Sizes as Go's go-units prints them, which Docker and Podman output: decimal units (HumanSize:
 * "2.13MB", "976B") or binary ones (BytesSize: "1.5MiB"), with `precision` significant digits.
 */
const decimal = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const binary = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

export function goUnitsSize(bytes: number, precision: number, base: 1000 | 1024 = 1000): string {
  const units = base === 1000 ? decimal : binary;
  let v = bytes;
  let i = 0;
  while (v >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  return `${Number(v.toPrecision(precision))}${units[i]}`;
}
