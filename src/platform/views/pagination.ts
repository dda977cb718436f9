// The GOV.UK pagination component's parameters for a list split into pages: previous and next,
// the first and last pages, and the pages either side of the current one
// (https://design-system.service.gov.uk/components/pagination/). Null when one page holds it all.
export interface PaginationView {
  previous: { href: string } | undefined;
  next: { href: string } | undefined;
  items: Array<{ number: number; href: string; current: boolean }>;
}

export function paginationFor(
  page: number,
  pages: number,
  link: (page: number) => string,
): PaginationView | null {
  if (pages <= 1) return null;
  return {
    previous: page > 1 ? { href: link(page - 1) } : undefined,
    next: page < pages ? { href: link(page + 1) } : undefined,
    items: [1, page - 1, page, page + 1, pages]
      .filter((n, i, all) => n >= 1 && n <= pages && all.indexOf(n) === i)
      .sort((a, b) => a - b)
      .map((n) => ({ number: n, href: link(n), current: n === page })),
  };
}
