// Typed URL builders for the audit pages, used by routes, views and tests.

export interface RecordAccessQuery {
  'from-day'?: string;
  'from-month'?: string;
  'from-year'?: string;
  'to-day'?: string;
  'to-month'?: string;
  'to-year'?: string;
  /** Show entries older than this sequence number (the next page). */
  before?: number;
}

export const auditPaths = {
  home: (): string => '/audit',
  recordAccess: (subjectType: string, subjectId: string, query: RecordAccessQuery = {}): string => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') search.set(name, String(value));
    }
    const path = `/audit/records/${encodeURIComponent(subjectType)}/${encodeURIComponent(subjectId)}`;
    return search.size ? `${path}?${search.toString()}` : path;
  },
};
