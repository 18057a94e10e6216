/** A reason the administrator name cannot be used, or undefined when it is acceptable. */
export function userNameProblem(name: string): string | undefined {
  if (name === '') return 'user name must not be empty';
  if (name.length > 64) return 'user name must be at most 64 characters';
  // Shown in the audit log and typed at the sign-in form: no spaces or control characters.
  if (!/^[\p{L}\p{N}._@-]+$/u.test(name))
    return 'user name may hold only letters, digits and . _ @ -';
  return undefined;
}
