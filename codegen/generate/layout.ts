/**
 * Re-indents generated TypeScript by bracket nesting: two spaces per open line, JSDoc continuation
 * lines one space further. Used instead of the TypeScript formatter, which costs more than all
 * the rest of generation for a hundred files and changes nothing else in code we emit.
 */

const STRING = /'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`/g;
const OPENERS = new Set(['{', '[', '(']);
const CLOSERS = new Set(['}', ']', ')']);

/** `text` with every line indented by its nesting; blank lines kept, trailing spaces dropped. */
export function reindent(text: string): string {
  const stack: number[] = [];
  let inComment = false;
  const pad = (extra = '') => '  '.repeat(stack.length) + extra;
  const close = () => {
    const top = stack.length - 1;
    if (top < 0) return;
    stack[top]! -= 1;
    if (stack[top] === 0) stack.pop();
  };
  return text
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed === '') return '';
      if (inComment || trimmed.startsWith('/*')) {
        const printed = inComment ? pad(` ${trimmed}`) : pad(trimmed);
        inComment = !trimmed.includes('*/') || (!inComment && trimmed === '/**');
        if (trimmed.endsWith('*/')) inComment = false;
        return printed;
      }
      if (trimmed.startsWith('//')) return pad(trimmed);
      const code = trimmed.replace(STRING, '""');
      let i = 0;
      while (i < code.length && CLOSERS.has(code[i]!)) {
        close();
        i += 1;
      }
      const printed = pad(trimmed);
      let pending = 0;
      for (; i < code.length; i += 1) {
        const ch = code[i]!;
        if (OPENERS.has(ch)) pending += 1;
        else if (CLOSERS.has(ch)) {
          if (pending > 0) pending -= 1;
          else close();
        }
      }
      if (pending > 0) stack.push(pending);
      return printed;
    })
    .join('\n');
}
