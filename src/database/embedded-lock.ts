import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * PGlite has no lock of its own: a second process opening the same data directory corrupts it.
 * This lock file (holding the owner's pid) makes a second opener fail fast; a lock left by a
 * process that no longer exists is taken over.
 */
export class DataDirectoryLock {
  private constructor(private readonly lockPath: string) {}

  static async acquire(dataDir: string): Promise<DataDirectoryLock> {
    await mkdir(dataDir, { recursive: true });
    const lockPath = path.join(dataDir, 'server.lock');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const handle = await open(lockPath, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return new DataDirectoryLock(lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
        if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
          throw new Error(
            `The embedded database in ${dataDir} is in use by process ${owner}. ` +
              'Stop that process, or point DATA_DIR at another directory.',
          );
        }
        await rm(lockPath, { force: true }); // stale: its process is gone
      }
    }
    throw new Error(`Could not lock the embedded database in ${dataDir}`);
  }

  async release(): Promise<void> {
    await rm(this.lockPath, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
