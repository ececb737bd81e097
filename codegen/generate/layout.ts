/**
 * Re-indents generated TypeScript by bracket nesting: two spaces per open line, JSDoc continuation
 * lines one space further. Used instead of the TypeScript formatter, which costs more than all
 * the rest of generation for a hundred files and changes nothing else in code we emit.
 */

const STRING = /'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`/g;
const QUOTE = /['"`]/;

/** 1 for `{ [ (`, -1 for `} ] )`, 0 for any other character code. */
function bracket(code: number): number {
  if (code === 123 || code === 91 || code === 40) return 1;
  if (code === 125 || code === 93 || code === 41) return -1;
  return 0;
}

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
      const code = QUOTE.test(trimmed) ? trimmed.replace(STRING, '""') : trimmed;
      let i = 0;
      while (i < code.length && bracket(code.charCodeAt(i)) < 0) {
        close();
        i += 1;
      }
      const printed = pad(trimmed);
      let pending = 0;
      for (; i < code.length; i += 1) {
        const kind = bracket(code.charCodeAt(i));
        if (kind > 0) pending += 1;
        else if (kind < 0) {
          if (pending > 0) pending -= 1;
          else close();
        }
      }
      if (pending > 0) stack.push(pending);
      return printed;
    })
    .join('\n');
}
