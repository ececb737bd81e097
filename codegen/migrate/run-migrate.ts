export async function runMigrateCommand(_a: string[], _l: (s: string) => void, e: (s: string) => void): Promise<number> { e('todo'); return 1; }
