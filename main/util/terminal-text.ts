/**
 * Text for a terminal, with every control character shown instead of obeyed: C0 (newline and tab
 * included), DEL, C1, and the Unicode line separators and bidi overrides. Strings from a bundle
 * (operator, host, refs, names, messages) pass through here, so an ESC sequence cannot clear or
 * recolour the screen and a newline cannot forge an output line. Each printed line goes through
 * it once (makeOutput's line, the CLI's error line); a multi-line block is printed line by line.
 */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what is neutralised
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
