/** Platforms ("os/arch[/variant]") and choosing one manifest from an image index / manifest list. */
import { SelkieError } from '../errors.js';
import { hostArch, hostOs } from '../util/host-platform.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface IndexEntry {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform & { 'os.version'?: string; 'os.features'?: string[] };
}

/** Parses --platform "os/arch[/variant]" (also accepts "arch" alone as Podman does not; os defaults to linux). */
export function parsePlatform(s: string): Platform {
  const parts = s.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new SelkieError('usage', `invalid platform ${JSON.stringify(s)}`, { hint: 'use os/arch[/variant], e.g. linux/arm64 or linux/arm/v7' });
  }
  return normalizePlatform({ os: parts[0]!, architecture: parts[1]!, ...(parts[2] ? { variant: parts[2] } : {}) });
}

/** Normalizes architecture aliases (x86_64 → amd64, aarch64 → arm64) and default variants. */
export function normalizePlatform(p: Platform): Platform {
  const aliases: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm', i386: '386' };
  const architecture = aliases[p.architecture] ?? p.architecture;
  let variant = p.variant;
  if (architecture === 'arm64' && variant === 'v8') variant = undefined;
  if (p.architecture === 'armhf') variant ??= 'v7';
  if (p.architecture === 'armel') variant ??= 'v6';
  return { os: p.os.toLowerCase(), architecture, ...(variant ? { variant } : {}) };
}

/** The wanted platform: flags over the host's. */
export function wantedPlatform(o: { platform?: string; os?: string; arch?: string; variant?: string }): Platform {
  const base = o.platform ? parsePlatform(o.platform) : { os: hostOs(), architecture: hostArch() };
  return normalizePlatform({
    os: o.os ?? base.os,
    architecture: o.arch ?? base.architecture,
    ...((o.variant ?? base.variant) ? { variant: o.variant ?? base.variant } : {}),
  });
}

export function platformString(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/**
 * The best entry for `want`: same os and architecture; a requested variant must match (arm v7 may
 * fall back to v6/v5), an unrequested one prefers entries without variant, then the first.
 */
export function selectPlatform(entries: readonly IndexEntry[], want: Platform, what: string): IndexEntry {
  const candidates = entries.filter((e) => {
    if (!e.platform) return false;
    const p = normalizePlatform(e.platform);
    return p.os === want.os && p.architecture === want.architecture;
  });
  const variantOf = (e: IndexEntry) => (e.platform ? normalizePlatform(e.platform).variant : undefined);
  let best: IndexEntry | undefined;
  if (want.variant) {
    const order = want.architecture === 'arm' ? ['v8', 'v7', 'v6', 'v5'].slice(['v8', 'v7', 'v6', 'v5'].indexOf(want.variant)) : [want.variant];
    for (const v of order.length ? order : [want.variant]) {
      best = candidates.find((e) => variantOf(e) === v);
      if (best) break;
    }
  } else {
    best = candidates.find((e) => variantOf(e) === undefined) ?? candidates[0];
  }
  if (!best) {
    const offered = entries.filter((e) => e.platform).map((e) => platformString(normalizePlatform(e.platform!)));
    throw new SelkieError('not-found', `no image for platform ${platformString(want)} in ${what}`, {
      hint: offered.length ? `it offers ${offered.join(', ')}; choose one with --platform` : 'the index lists no platforms',
    });
  }
  return best;
}
