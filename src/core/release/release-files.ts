import type { ReleaseFiles } from './release-checks.js';

/**
 * Which release files a project has, from the names at its top and its manifest's text. Pure;
 * the adapter lists the clean checkout and reads the manifest. Names are matched without case
 * and with any extension: README.md, readme.rst, LICENSE, Licence.txt, CHANGELOG.md, ...
 */

const PATTERNS = {
  readme: /^readme(\..+)?$/i,
  licence: /^(licen[cs]e|copying)([.-].+)?$/i,
  changelog: /^(changelog|changes|history|news)(\..+)?$/i,
} as const;

/** Manifests that carry a version, in the order they are preferred. */
export const VERSION_MANIFESTS = ['package.json', 'Cargo.toml', 'pyproject.toml'] as const;
export type VersionManifest = (typeof VERSION_MANIFESTS)[number];

function firstMatch(names: readonly string[], pattern: RegExp): string | null {
  return [...names].sort().find((name) => pattern.test(name)) ?? null;
}

/** The version a manifest sets, or null when it sets none (or cannot be read). */
export function manifestVersion(manifest: VersionManifest, text: string): string | null {
  if (manifest === 'package.json') {
    try {
      const parsed = JSON.parse(text) as { version?: unknown };
      return typeof parsed.version === 'string' && parsed.version.trim() !== '' ? parsed.version.trim() : null;
    } catch {
      return null;
    }
  }
  // TOML: the first `version = "..."` of the [package] / [project] / [tool.poetry] table.
  const table = manifest === 'Cargo.toml' ? /^\[package\]\s*$/m : /^\[(project|tool\.poetry)\]\s*$/m;
  const start = table.exec(text);
  if (start === null) return null;
  const rest = text.slice(start.index + start[0].length);
  const end = /^\[/m.exec(rest);
  const body = end === null ? rest : rest.slice(0, end.index);
  return /^\s*version\s*=\s*["']([^"']+)["']/m.exec(body)?.[1] ?? null;
}

/** `manifest`: the first of VERSION_MANIFESTS present, with its text. */
export function findReleaseFiles(topLevelNames: readonly string[], manifest: { readonly name: VersionManifest; readonly text: string } | undefined): ReleaseFiles {
  return {
    readme: firstMatch(topLevelNames, PATTERNS.readme),
    licence: firstMatch(topLevelNames, PATTERNS.licence),
    changelog: firstMatch(topLevelNames, PATTERNS.changelog),
    manifest: manifest?.name ?? null,
    version: manifest === undefined ? null : manifestVersion(manifest.name, manifest.text),
  };
}
