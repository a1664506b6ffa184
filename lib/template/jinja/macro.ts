// A `{% macro %}` value: what a template's expressions may call besides
// methods and the function table. The renderer builds it; the evaluator only
// calls it, with the arguments as given (undefined ones included, as Jinja
// passes them).

import type { Kwargs } from '../context.js';

export class JinjaMacro {
  constructor(
    readonly name: string,
    private readonly body: (args: unknown[], kw: Kwargs) => string,
  ) {}

  call(args: unknown[], kw: Kwargs): string {
    return this.body(args, kw);
  }
}
