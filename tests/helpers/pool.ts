/** Runs jobs at most `size` at a time, keeping the results in input order: each Ansible call costs a second or two of CPU. */
import PQueue from 'p-queue';

export async function pool<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const queue = new PQueue({ concurrency: size });
  return Promise.all(items.map((item) => queue.add(() => fn(item)) as Promise<R>));
}
