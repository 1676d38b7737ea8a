import { createHash } from 'node:crypto';

/**
 * A stable UUID (version 8, "custom") derived from a name, so a fixture's ids are the same on
 * every run and a failing test names the same row every time: `stableId('org-a:therapist')`.
 */
export function stableId(name: string): string {
  const hex = createHash('sha256').update(`therapy-db:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
