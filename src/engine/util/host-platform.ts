/** The host's platform in OCI terms (GOARCH names). */
const archMap: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

export const hostArch = (): string => archMap[process.arch] ?? process.arch;
export const hostOs = (): string => (process.platform === 'linux' ? 'linux' : process.platform);
