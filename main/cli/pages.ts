/** How many rows a CLI listing asks the engine for at a time. */
export const CLI_PAGE = 1000;

/**
 * Every row of a paged listing, one page in memory at a time: `fetch` gets the offset and returns
 * that page; a short page is the last. Rows appended meanwhile may shift a page; a listing is a
 * snapshot of a moment only when nothing else writes.
 */
export async function* allPages<T>(fetch: (offset: number, limit: number) => Promise<T[]>): AsyncGenerator<T> {
  for (let offset = 0; ;) {
    const page = await fetch(offset, CLI_PAGE);
    yield* page;
    if (page.length < CLI_PAGE) return;
    offset += page.length;
  }
}
