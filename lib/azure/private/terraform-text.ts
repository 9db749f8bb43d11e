import { IResolveContext, Lazy, Token } from 'cdktf';

/** cdktf's marker of a string token inside a string (`${TfToken[TOKEN.12]}`). */
const STRING_TOKEN = /(\$\{TfToken\[[a-zA-Z0-9:._-]+\]\})/;

/** Terraform's template escapes: `$${` and `%%{` stand for the literal `${` and `%{`. */
function escapeTemplate(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * Literal text for a Terraform string: Terraform evaluates `${…}` and `%{…}` in every string of
 * the JSON configuration, so a display name such as `${file("/etc/passwd")}` would read a file
 * on the deploying machine. Literal parts are escaped; tokens (references from this program)
 * stay references.
 *
 * A string without tokens is escaped in place. A string that mixes tokens and text that needs
 * escaping is rendered at synth time: cdktf reads `${` in such a string as the start of an
 * expression (and would print the tokens after it bare), so the escaped text must not go
 * through its parser.
 */
export function terraformText(text: string): string;
export function terraformText(text: string | undefined): string | undefined;
export function terraformText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!Token.isUnresolved(text)) return escapeTemplate(text);
  // Odd indices are token markers, even indices the literal text around them.
  const parts = text.split(STRING_TOKEN);
  const needsEscape = parts.some(
    (p, i) => i % 2 === 0 && (/[$%]\{/.test(p) || (p.endsWith('$') && i < parts.length - 1)),
  );
  if (!needsEscape) return text;
  return Lazy.stringValue({
    produce: (context: IResolveContext) =>
      parts
        .map((p, i) => {
          if (i % 2 === 1) return String(context.resolve(p));
          const literal = escapeTemplate(p);
          // `$` right before a reference would turn its `${` into the `$${` escape.
          const dollars = /\$+$/.exec(literal);
          return dollars && i < parts.length - 1
            ? `${literal.slice(0, dollars.index)}\${"${dollars[0]}"}`
            : literal;
        })
        .join(''),
  });
}
