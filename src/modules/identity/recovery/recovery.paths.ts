// Typed URL builders for account recovery. Tokens go in the path, never the query string (P27).
export const recoveryPaths = {
  forgotPassword: '/forgot-password',
  resetPassword: (token: string) => `/reset-password/${encodeURIComponent(token)}`,
  invitation: (token: string) => `/invitation/${encodeURIComponent(token)}`,
  signIn: '/sign-in',
};
