/**
 * A dataset given as a folder or a zip. A zip is unpacked once into the cache (keyed by its
 * sha256), so images have real paths that sharp and the notebooks can open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { InputError, cacheRoot, sha256File } from '../core';

/** Unpacks `zipPath` into the cache if not done before; returns the folder. */
export function unpackZip(zipPath: string): string {
  const dir = path.join(cacheRoot(), 'datasets', 'unzipped', sha256File(zipPath).slice(0, 16));
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    new AdmZip(zipPath).extractAllTo(tmp, true);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new InputError(`Cannot unpack ${zipPath}: ${(err as Error).message}`, {
      subject: zipPath,
      fix: 'check that the file is a complete zip archive (try `unzip -t`)',
      cause: err,
    });
  }
  fs.writeFileSync(path.join(tmp, '.complete'), '');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.renameSync(tmp, dir);
  return dir;
}

/** The folder to read: `p` itself, or its unpacked copy for a zip. */
export function datasetFolder(p: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new InputError(`Dataset ${p} does not exist`, { subject: p, fix: 'pass a folder with images/ and gt/, or a zip of one' });
  }
  if (st.isDirectory()) return path.resolve(p);
  if (p.toLowerCase().endsWith('.zip')) return unpackZip(p);
  throw new InputError(`Dataset ${p} is neither a folder nor a .zip file`, {
    subject: p,
    fix: 'pass a folder with images/ and gt/, or a zip of one',
  });
}

const IMAGE_DIRS = ['images', 'imgs', 'img', 'Images', 'test_images', 'train_images'];
const GT_DIRS = ['gt', 'gts', 'annotations', 'labels', 'Groundtruth', 'gt_poly'];

function findDir(root: string, names: readonly string[], prefer?: string): string | undefined {
  const candidates = prefer ? [prefer, ...names] : names;
  for (const base of [root, ...subfolders(root)]) {
    for (const n of candidates) {
      const p = path.join(base, n);
      if (fs.existsSync(p) && fs.statSync(p).isDirectory()) return p;
    }
  }
  return undefined;
}

/** A zip often holds one top-level folder: look one level down too. */
function subfolders(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('__MACOSX'))
    .map((e) => path.join(root, e.name))
    .sort();
}

/** Locates the images and ground-truth folders under `root`. */
export function locateFolders(root: string, images?: string, gt?: string): { images: string; gt: string } {
  const img = images ? path.resolve(root, images) : findDir(root, IMAGE_DIRS);
  const g = gt ? path.resolve(root, gt) : findDir(root, GT_DIRS);
  if (!img || !fs.existsSync(img)) {
    throw new InputError(`No images folder in ${root} (looked for ${images ?? IMAGE_DIRS.join(', ')})`, {
      subject: root,
      fix: 'put the images in an images/ folder, or pass the folder name (images option, --images)',
    });
  }
  if (!g || !fs.existsSync(g)) {
    throw new InputError(`No ground-truth folder in ${root} (looked for ${gt ?? GT_DIRS.join(', ')})`, {
      subject: root,
      fix: 'put the gt_<image>.txt files in a gt/ folder, or pass the folder name (gt option, --gt)',
    });
  }
  return { images: img, gt: g };
}
