/**
 * The font families the generator may use, pinned by family name and regular-style file name.
 * SVG text goes through fontconfig, which silently substitutes a missing family; so before
 * rendering we look for each family's files ourselves and fail (none found) or warn (some
 * missing: images then differ from the reference set) instead of letting a fallback slip in.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, sha256File } from '../../core';

export interface PinnedFamily {
  /** The family name given to fontconfig in the SVG. */
  family: string;
  /** File name of the regular style; the family counts as installed when this file is found. */
  file: string;
  /** Debian/Ubuntu package that ships it. */
  debian: string;
  /** Whether the family has its own bold / italic faces (otherwise fontconfig synthesises them). */
  styles: boolean;
}

/** Every family the presets may draw from, in a fixed order (the order is part of the seed contract). */
export const PINNED_FAMILIES: readonly PinnedFamily[] = [
  { family: 'DejaVu Sans', file: 'DejaVuSans.ttf', debian: 'fonts-dejavu-core', styles: true },
  { family: 'DejaVu Serif', file: 'DejaVuSerif.ttf', debian: 'fonts-dejavu-core', styles: true },
  { family: 'DejaVu Sans Mono', file: 'DejaVuSansMono.ttf', debian: 'fonts-dejavu-core', styles: true },
  { family: 'Liberation Sans', file: 'LiberationSans-Regular.ttf', debian: 'fonts-liberation', styles: true },
  { family: 'Liberation Serif', file: 'LiberationSerif-Regular.ttf', debian: 'fonts-liberation', styles: true },
  { family: 'Liberation Mono', file: 'LiberationMono-Regular.ttf', debian: 'fonts-liberation', styles: true },
  {
    family: 'Liberation Sans Narrow',
    file: 'LiberationSansNarrow-Regular.ttf',
    debian: 'fonts-liberation',
    styles: true,
  },
  { family: 'Noto Sans', file: 'NotoSans-Regular.ttf', debian: 'fonts-noto-core', styles: true },
  { family: 'Noto Serif', file: 'NotoSerif-Regular.ttf', debian: 'fonts-noto-core', styles: true },
];

/** The install command that provides every pinned family. */
export const FONT_INSTALL_COMMAND = `apt-get install -y ${[...new Set(PINNED_FAMILIES.map((f) => f.debian))].join(' ')}`;

export interface FoundFamily extends PinnedFamily {
  /** Absolute path of the regular-style file. */
  path: string;
  /** First 16 hex digits of the file's sha256, recorded in the manifest so drift is visible. */
  sha256: string;
}

/** Directories fontconfig searches by default on Linux and macOS. */
function fontDirs(): string[] {
  const home = os.homedir();
  const dirs = [
    '/usr/share/fonts',
    '/usr/local/share/fonts',
    path.join(home, '.local', 'share', 'fonts'),
    path.join(home, '.fonts'),
    '/Library/Fonts',
    '/System/Library/Fonts',
    path.join(home, 'Library', 'Fonts'),
  ];
  return dirs;
}

function indexFontFiles(dirs: readonly string[]): Map<string, string> {
  const byName = new Map<string, string>();
  const walk = (dir: string, depth: number): void => {
    if (depth > 4) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // Sorted so the first file found for a name does not depend on directory order.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (!byName.has(e.name)) byName.set(e.name, p);
    }
  };
  for (const d of dirs) walk(d, 0);
  return byName;
}

let cached: FoundFamily[] | undefined;

/** The pinned families installed on this machine (cached per process for the default folders). */
export function findPinnedFamilies(dirs?: readonly string[]): FoundFamily[] {
  if (!dirs && cached) return cached;
  const files = indexFontFiles(dirs ?? fontDirs());
  const found: FoundFamily[] = [];
  for (const f of PINNED_FAMILIES) {
    const p = files.get(f.file);
    if (p) found.push({ ...f, path: p, sha256: sha256File(p).slice(0, 16) });
  }
  if (!dirs) cached = found;
  return found;
}

/**
 * Resolves the families a preset asks for. Throws when none is installed; returns the list of
 * missing ones so the caller can warn (a missing family is replaced by the next installed one in
 * the pinned order, so the rest of the random sequence is unchanged).
 */
export function resolveFamilies(wanted: readonly string[], dirs?: readonly string[]): {
  substitute: (family: string) => FoundFamily;
  found: FoundFamily[];
  missing: PinnedFamily[];
} {
  const installed = findPinnedFamilies(dirs);
  const pinned = wanted.map((name) => {
    const f = PINNED_FAMILIES.find((p) => p.family === name);
    if (!f) throw new InputError(`Font family ${JSON.stringify(name)} is not one of the pinned families`);
    return f;
  });
  const found = installed.filter((f) => wanted.includes(f.family));
  if (found.length === 0) {
    throw new InputError(
      `None of the generator's pinned font families is installed (looked for ${pinned
        .map((p) => `${p.family} (${p.file})`)
        .join(', ')} under ${(dirs ?? fontDirs()).join(', ')})`,
      { subject: 'fonts', fix: `install them, e.g. \`sudo ${FONT_INSTALL_COMMAND}\`` },
    );
  }
  const missing = pinned.filter((p) => !found.some((f) => f.family === p.family));
  const substitute = (family: string): FoundFamily => {
    const direct = found.find((f) => f.family === family);
    if (direct) return direct;
    const start = wanted.indexOf(family);
    for (let i = 1; i <= wanted.length; i++) {
      const alt = found.find((f) => f.family === wanted[(start + i) % wanted.length]);
      if (alt) return alt;
    }
    return found[0];
  };
  return { substitute, found, missing };
}
