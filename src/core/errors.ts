/**
 * Error classes shared by every stage. Invalid input throws one of these; recoverable problems
 * (a provider falling back to CPU, a degenerate polygon dropped) go through the logger instead.
 *
 * Every message names the offending input (file, value, option) and, where one exists, the fix.
 */

export interface DetbenchErrorDetails {
  /** The file, value or option the error is about. */
  subject?: string;
  /** What the user can do about it, in one sentence or a command. */
  fix?: string;
  /** The underlying error, kept for debugging. */
  cause?: unknown;
}

/** Base class: `message` already contains the subject and the fix, so printing it is enough. */
export class DetbenchError extends Error {
  readonly subject?: string;
  readonly fix?: string;
  constructor(message: string, details: DetbenchErrorDetails = {}) {
    const fix = details.fix ? `\n  Fix: ${details.fix}` : '';
    super(message + fix, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = new.target.name;
    this.subject = details.subject;
    this.fix = details.fix;
  }
}

/** A file or directory that cannot be read, or whose content is not what was expected. */
export class InputError extends DetbenchError {}

/** An option or argument with a value outside its valid set. Message lists the valid choices. */
export class OptionError extends DetbenchError {}

/** A model that cannot be used as a text detector (not ONNX, wrong input layout, …). */
export class ModelError extends DetbenchError {}

/** An execution provider that cannot run here (missing binaries, no GPU adapter). */
export class ProviderError extends DetbenchError {}

/** A shape that falls outside an engine's profile, found before any run. */
export class ShapeError extends DetbenchError {}

/** Short text of any thrown value, for `errors[]` lists and one-line reports. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
