import { closeSync, openSync, readSync } from 'node:fs';

/**
 * What licence an artifact states, in a few words an officer can read on the transfer form: the
 * first line of an Ollama licence layer or a LICENSE file, a model card's `license:` entry, an
 * image's org.opencontainers.image.licenses label. Undefined means the source says nothing; the
 * form then says so rather than guessing.
 */

const MAX_NAME = 120;
/** A licence is named in its first lines, a model card's in its front matter; a licence layer can be 30 KB of legal text. */
const HEAD_BYTES = 64 * 1024;

/** Whitespace collapsed, cut to a length a table cell holds. */
function tidy(text: string): string | undefined {
  const one = text.replace(/\s+/g, ' ').trim();
  if (one === '') return undefined;
  return one.length > MAX_NAME ? `${one.slice(0, MAX_NAME - 1)}…` : one;
}

/** The first line with words on it: "LLAMA 3.2 COMMUNITY LICENSE AGREEMENT", "Apache License". */
export function licenceFromText(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const name = tidy(line.replace(/^[#=*\s-]+/, ''));
    if (name) return name;
  }
  return undefined;
}

/** The start of a small text file, or undefined when it cannot be read. */
export function readHead(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(HEAD_BYTES);
    const read = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function unquote(value: string): string {
  const v = value.trim();
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/**
 * A Hugging Face model card's `license:` (a scalar or a YAML list), with `license_name:` when the
 * licence is `other`, from the card's front matter between its `---` lines.
 */
export function modelCardLicences(card: string): string[] | undefined {
  const lines = card.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return undefined;
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  const front = lines.slice(1, end < 0 ? lines.length : end);
  const entry = (key: string) => front.findIndex((line) => line.startsWith(`${key}:`));
  const at = entry('license');
  if (at < 0) return undefined;
  const inline = unquote(front[at]!.slice('license:'.length));
  let names: string[];
  if (inline.startsWith('[')) {
    names = inline
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map(unquote);
  } else if (inline !== '') {
    names = [inline];
  } else {
    names = [];
    for (const line of front.slice(at + 1)) {
      const item = /^\s*-\s*(.+)$/.exec(line);
      if (!item) break;
      names.push(unquote(item[1]!));
    }
  }
  const custom = entry('license_name');
  const customName = custom < 0 ? undefined : unquote(front[custom]!.slice('license_name:'.length));
  const named = names.map((n) => (n === 'other' && customName ? `other: ${customName}` : n)).map(tidy);
  const result = named.filter((n): n is string => n !== undefined);
  return result.length > 0 ? result : undefined;
}

/** The SPDX expression of an image config's label or a manifest's annotation, if either states one. */
export function labelledLicence(config: Record<string, unknown> | null, annotations?: Record<string, unknown>): string | undefined {
  const key = 'org.opencontainers.image.licenses';
  const labels = (config?.config as { Labels?: Record<string, unknown> } | undefined)?.Labels;
  const helm = config?.annotations as Record<string, unknown> | undefined;
  for (const value of [annotations?.[key], labels?.[key], helm?.[key], helm?.['artifacthub.io/license']]) {
    if (typeof value === 'string') {
      const name = tidy(value);
      if (name) return name;
    }
  }
  return undefined;
}

/** Each distinct name once, in the order found; undefined when there is none. */
export function distinctLicences(names: readonly (string | undefined)[]): string[] | undefined {
  const found = [...new Set(names.filter((n): n is string => n !== undefined))];
  return found.length > 0 ? found : undefined;
}
