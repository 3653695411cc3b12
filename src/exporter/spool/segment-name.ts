/**
 * Spool segment files are named `{createdAt}-{pid}-{instance}-{seq}.{open|seg}`:
 * sorting by name replays oldest first, and the pid and instance say who owns
 * a segment. `.open` is being appended to; `.seg` is closed. A process only
 * reads its own segments and orphans (owner process gone, or an exporter of
 * this process that has shut down), which it claims by renaming them to its
 * own name — an atomic step, so two processes never replay the same file.
 */
export interface SegmentName {
  createdAt: number;
  pid: number;
  instance: string;
  seq: number;
  open: boolean;
}

const PATTERN = /^(\d{15})-(\d+)-([0-9a-f]+)-(\d{6,})\.(open|seg)$/;

export function formatSegmentName(name: SegmentName): string {
  return `${String(name.createdAt).padStart(15, "0")}-${name.pid}-${name.instance}-${String(name.seq).padStart(6, "0")}.${name.open ? "open" : "seg"}`;
}

export function parseSegmentName(file: string): SegmentName | undefined {
  const match = PATTERN.exec(file);
  if (!match) return undefined;
  return { createdAt: Number(match[1]), pid: Number(match[2]), instance: match[3]!, seq: Number(match[4]), open: match[5] === "open" };
}

/** True when the process is alive (EPERM: alive, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
