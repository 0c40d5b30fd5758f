// Writes a generated input's files, directories, links and FIFOs under a directory.
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { FuzzInput } from './generate.ts';

export async function materialize(input: FuzzInput, directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  for (const entry of input.entries) {
    const path = join(directory, entry.path);
    await mkdir(join(path, '..'), { recursive: true });
    switch (entry.kind) {
      case 'file':
        await writeFile(path, entry.content);
        if (entry.mode !== undefined) await chmod(path, entry.mode);
        break;
      case 'directory':
        await mkdir(path, { recursive: true });
        break;
      case 'symlink':
        await symlink(entry.target, path);
        break;
      case 'fifo':
        execFileSync('mkfifo', [path]);
        break;
    }
  }
}
