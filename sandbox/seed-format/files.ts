// Log files and their content. Fixture paths are resolved here, once, against the seed
// file's folder, and checked to exist so a typo fails at load time rather than mid-run.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { child, type FieldReader, item } from './fields';
import type { SeedContent, SeedFile } from './types';

const NAME_FORM = 'a log file name like "error/postgresql.log.2026-11-20-09" (no empty, "." or ".." segments)';

const isControlCharacter = (c: string): boolean => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;

const isValidName = (name: string): boolean =>
  ![...name].some(isControlCharacter) && name.split('/').every((segment) => !['', '.', '..'].includes(segment));

function fixturePath(r: FieldReader, path: string, value: unknown, baseDir: string): string | undefined {
  const relative = r.string(path, value, 'a fixture path (relative to the seed file)');
  if (relative === undefined) return undefined;
  const absolute = resolve(baseDir, relative);
  const stats = statSync(absolute, { throwIfNoEntry: false });
  if (stats?.isFile() !== true) {
    return r.problem(path, `expected a readable file, "${relative}" resolves to ${absolute}`);
  }
  return absolute;
}

function parseGenerate(r: FieldReader, path: string, value: unknown, baseDir: string): SeedContent | undefined {
  const raw = r.object(path, value, ['sizeBytes', 'fixture']);
  if (raw === undefined) return undefined;
  const sizeBytes = r.integer(child(path, 'sizeBytes'), raw.sizeBytes, 0);
  if (raw.fixture === undefined) return sizeBytes === undefined ? undefined : { generate: { sizeBytes } };
  const fixture = fixturePath(r, child(path, 'fixture'), raw.fixture, baseDir);
  // Generation repeats the fixture's bytes, so an empty one could never fill sizeBytes.
  if (fixture !== undefined && statSync(fixture).size === 0) return r.problem(child(path, 'fixture'), 'is empty');
  return sizeBytes === undefined || fixture === undefined ? undefined : { generate: { sizeBytes, fixture } };
}

function parseContent(r: FieldReader, path: string, value: unknown, baseDir: string): SeedContent | undefined {
  const raw = r.object(path, value, ['fixture', 'text', 'generate']);
  if (raw === undefined) return undefined;
  const kinds = Object.keys(raw).filter((key) => ['fixture', 'text', 'generate'].includes(key));
  if (kinds.length !== 1) return r.expected(path, 'exactly one of "fixture", "text" or "generate"', value);
  if (raw.fixture !== undefined) {
    const fixture = fixturePath(r, child(path, 'fixture'), raw.fixture, baseDir);
    return fixture === undefined ? undefined : { fixture };
  }
  if (raw.text !== undefined) {
    const text = r.text(child(path, 'text'), raw.text);
    return text === undefined ? undefined : { text };
  }
  return parseGenerate(r, child(path, 'generate'), raw.generate, baseDir);
}

/** One file entry; also used to check files added to a running stand-in. */
export function parseFile(
  r: FieldReader,
  path: string,
  value: unknown,
  instanceIds: ReadonlySet<string>,
  baseDir: string,
): SeedFile | undefined {
  const raw = r.object(path, value, ['instance', 'name', 'lastWritten', 'content']);
  if (raw === undefined) return undefined;
  let instance = r.string(child(path, 'instance'), raw.instance, 'the id of an instance of the seed');
  if (instance !== undefined && !instanceIds.has(instance)) {
    instance = r.expected(
      child(path, 'instance'),
      `one of the seed's instances (${[...instanceIds].join(', ')})`,
      instance,
    );
  }
  const name = r.string(child(path, 'name'), raw.name, NAME_FORM);
  if (name !== undefined && !isValidName(name)) r.expected(child(path, 'name'), NAME_FORM, name);
  const lastWritten = r.isoDate(child(path, 'lastWritten'), raw.lastWritten);
  const content = parseContent(r, child(path, 'content'), raw.content, baseDir);
  if (instance === undefined || name === undefined || !isValidName(name)) return undefined;
  if (lastWritten === undefined || content === undefined) return undefined;
  return { instance, name, lastWritten, content };
}

export function parseFiles(r: FieldReader, value: unknown, instanceIds: ReadonlySet<string>, baseDir: string) {
  const files: SeedFile[] = [];
  const seen = new Set<string>();
  r.list('files', value).forEach((entry, i) => {
    const file = parseFile(r, item('files', i), entry, instanceIds, baseDir);
    if (file === undefined) return;
    const key = fileKey(file.instance, file.name);
    if (seen.has(key)) r.problem(item('files', i), `file "${file.name}" of "${file.instance}" is listed twice`);
    seen.add(key);
    files.push(file);
  });
  return files;
}

export const fileKey = (instance: string, name: string): string => `${instance}\u0000${name}`;
