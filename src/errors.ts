/** An error in what the user gave (options, config, baseline, cases, earlier results): one line and exit 2, no stack. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
