/** `tsplay audit RECORD [REAL]`: see lib/audit/. */
import type { Io } from './io.js';

export async function auditCommand(argv: string[], io: Io): Promise<number> {
  void argv;
  void io;
  return 0;
}
