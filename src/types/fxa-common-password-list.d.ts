declare module 'fxa-common-password-list' {
  /** Mozilla's list of the most common passwords (from the top 1M of the "10 million password list"). */
  const list: { test(password: string): boolean };
  export default list;
}
