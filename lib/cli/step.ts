/** --step: ansible-playbook's question before each task, answered from stdin (a terminal or a pipe). */
import { readLineFromFd } from '../connection/prompt.js';

/** Ansible's banner: the text, then stars up to column 80. */
function banner(text: string): string {
  return `\n${text} ${'*'.repeat(Math.max(3, 79 - text.length))}\n`;
}

export function stepQuestion(write: (s: string) => void, readLine: () => string = () => readLineFromFd(0)): (what: string) => boolean {
  let stepping = true;
  return (what) => {
    if (!stepping) return true;
    const question = `Perform task: ${what} (N)o/(y)es/(c)ontinue: `;
    write(question);
    const answer = readLine().trim().toLowerCase();
    // Anything but yes or continue (an empty line, the end of the input) passes the task over, as in Ansible.
    const run = ['y', 'yes', 'c', 'continue'].includes(answer);
    if (answer === 'c' || answer === 'continue') stepping = false;
    write(banner(question.trim()));
    return run;
  };
}
