/**
 * "Is this value written as a file-system path?": the one home of the prefix tests the extractors, the linker, the
 * lineage builder and the CLI share. Shape only: nothing here touches the file system.
 */

/**
 * True for a value written with an explicit path prefix: `/x`, `\x`, `./x`, `../x`, `.`, `..`, a dot-folder such as
 * `.cache/x`, `~` or `~/x`, or a drive (`C:\x`, `C:/x`). A Hub id (`org/name`) never has one.
 */
export function hasPathPrefix(value: string): boolean {
  return /^[./~\\]/.test(value) || /^[A-Za-z]:[\\/]/.test(value);
}

/** True for a path that names a place outside any scanned tree: absolute (`/x`, `\x`), from home (`~`), or on a drive. */
export function isAbsolutePath(value: string): boolean {
  return /^[/\\~]/.test(value) || /^[A-Za-z]:[\\/]/.test(value);
}
