/**
 * --tags / --skip-tags, as Ansible decides them: `always` runs unless skipped
 * by name, `never` runs only when asked for, `tagged`/`untagged`/`all` select
 * by whether a task has tags.
 */
export interface TagFilter {
  only: string[];
  skip: string[];
}

export function shouldRun(taskTags: string[], f: TagFilter): boolean {
  const tags = new Set(taskTags);
  if (f.skip.length) {
    if (f.skip.some((s) => tags.has(s))) return false;
    if (f.skip.includes('tagged') && tags.size > 0) return false;
    if (f.skip.includes('untagged') && tags.size === 0) return false;
    if (f.skip.includes('all') && !tags.has('always')) return false;
  }
  const only = f.only.length ? f.only : ['all'];
  if (tags.has('always') && !f.skip.includes('always')) return true;
  if (tags.has('never') && !only.some((t) => t !== 'all' && tags.has(t))) return false;
  if (only.includes('all')) return true;
  if (only.includes('tagged') && tags.size > 0) return true;
  if (only.includes('untagged') && tags.size === 0) return true;
  return only.some((t) => tags.has(t));
}

/**
 * Tags written as a template (`tags: "{{ the_tags }}"`) are rendered before
 * they are compared, as Ansible does: a list gives its tags; a string is one
 * tag, commas and all (Ansible splits commas only in tags written literally).
 */
export function renderTags(tags: string[], render: (t: string) => unknown): string[] {
  const out: string[] = [];
  for (const t of tags) {
    if (!t.includes('{{') && !t.includes('{%')) {
      out.push(t);
      continue;
    }
    const v = render(t);
    for (const x of Array.isArray(v) ? v : [v]) out.push(String(x));
  }
  return out;
}
