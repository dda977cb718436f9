// Typed URL builders for the organisation pages, used by routes, presenters and tests.

export const organisationRoutes = {
  list: '/organisations',
  detail: '/organisations/:code',
} as const;

export const organisationPaths = {
  list: (): string => organisationRoutes.list,
  detail: (code: string): string => `/organisations/${encodeURIComponent(code)}`,
};
